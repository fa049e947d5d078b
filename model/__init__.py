"""zjai: an agent-based model of Zhejiang's AI industry under the 2017 AI plan."""

from .ecosystem import AIEcosystemModel
from .levers import LEVERS
from .runner import run_scenario
from .scenario import Scenario, ScenarioError, load_scenario

__all__ = ["AIEcosystemModel", "LEVERS", "Scenario", "ScenarioError", "load_scenario",
           "run_scenario"]
__version__ = "0.1.0"

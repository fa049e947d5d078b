"""Counter-based random numbers: a draw is a pure function of (run, month, phase, agent, k).

The per-agent rules of both engines take their uniforms from `uniform(key, agent, k)`:
`key` is the phase's key for this month (`phase_key(run_key, month, stream)`), `agent` the
agent's stable id (its row: rows are never reused, `state.py`) and `k` the index of the
draw within the agent's month in that phase. Nothing is drawn ahead into arrays, a rule
draws only what it uses, and an agent's draw does not depend on how many other agents
there are or in which order they are visited, so the mesa engine's methods and the numba
kernels, which call this same compiled function, see the same numbers.

The hash is SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number
generators", OOPSLA) evaluated at the counter, `mix(key + counter * GOLDEN)`, followed by a
second keyed round `mix(z ^ key)` so that streams of different keys are not shifts of one
sequence. Philox4x32-10 (Salmon et al. 2011; a numba version that matched Random123's
known answers) cost 11-22 ns per call in a loop here against 4 ns for this hash (issue 16),
so the hash is used; tests/test_streams.py checks uniformity and independence.
The run key comes from the model's seed through `numpy.random.SeedSequence` (`run_key`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

U64 = np.uint64
GOLDEN = U64(0x9E3779B97F4A7C15)      # SplitMix64's increment (2^64 / golden ratio)
MIX1 = U64(0xBF58476D1CE4E5B9)
MIX2 = U64(0x94D049BB133111EB)
TO_UNIT = 2.0 ** -53
COUNTER_STREAM = 0x63747273            # spawn key of the counter streams ("ctrs")
DRAWS_PER_AGENT = 16                   # k < 16 within one agent's month of one phase
# one id per phase that draws per agent: the key of a month's phase ("market_year": the
# firms' yearly shock variances, keyed on each year's January)
STREAMS = {"talent_supply": 1, "talent_migration": 2, "labour_market": 3, "entry_exit": 4,
           "innovation": 5, "market": 6, "finance": 7, "market_year": 8}
N_STREAMS = 64


@njit(cache=True, inline="always")
def mix(z):
    """SplitMix64's output function (a bijection of 64-bit words)."""
    z = (z ^ (z >> U64(30))) * MIX1
    z = (z ^ (z >> U64(27))) * MIX2
    return z ^ (z >> U64(31))


@njit(cache=True, inline="always")
def bits(key, counter):
    """64 random bits for `counter` (a non-negative integer) under `key`."""
    z = mix(U64(key) + U64(counter) * GOLDEN)
    return mix(z ^ U64(key))


@njit(cache=True)
def phase_key(run_key, month, stream):
    """The key of one phase (`STREAMS`) in one model month of a run."""
    return bits(run_key, U64(month) * U64(N_STREAMS) + U64(stream))


@njit(cache=True, inline="always")
def uniform(key, agent, k):
    """Draw `k` (0 <= k < 16) of `agent` under a phase key: uniform on [0, 1), 53 bits."""
    z = bits(key, U64(agent) * U64(DRAWS_PER_AGENT) + U64(k))
    return float(z >> U64(11)) * TO_UNIT


@njit(cache=True, inline="always")
def normal(key, agent, k):
    """A standard normal from draws `k` and `k + 1` of `agent` (Box-Muller)."""
    u1 = 1.0 - uniform(key, agent, k)             # in (0, 1]
    u2 = uniform(key, agent, k + 1)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


BLOCK = 512                            # agents whose draws `block_uniforms` makes at once


@njit(cache=True, inline="always")
def block_uniforms(key, agents, lo, hi, k, out):
    """`uniform(key, agents[j], k)` for j in lo..hi-1 into out[0:hi-lo]: a loop with nothing
    else in it, which the compiler vectorises (0.5 ns a draw here, against about 2 ns when
    the draw sits in a loop that also reads the agent's columns); kernels draw a block of
    agents this way, then decide for each."""
    for j in range(lo, hi):
        out[j - lo] = uniform(key, agents[j], k)


@njit(cache=True)
def normals(key, agents, k):
    """`normal(key, a, k)` for every agent id in `agents` (shared Python code's arrays)."""
    out = np.empty(len(agents))
    for j in range(len(agents)):
        out[j] = normal(key, agents[j], k)
    return out


@njit(cache=True)
def uniforms(key, agents, k):
    """`uniform(key, a, k)` for every agent id in `agents`."""
    out = np.empty(len(agents))
    for j in range(len(agents)):
        out[j] = uniform(key, agents[j], k)
    return out


_M64 = (1 << 64) - 1


def _mix_py(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def uniform_py(key: int, agent: int, k: int) -> float:
    """`uniform` in plain Python integers, the same number (the mesa engine's methods: 0.8 us
    a call, where calling the compiled function from Python with a uint64 costs 6.6 us)."""
    z = _mix_py((key + (agent * DRAWS_PER_AGENT + k) * 0x9E3779B97F4A7C15) & _M64)
    return (_mix_py(z ^ key) >> 11) * TO_UNIT


def phase_key_py(run_key: int, month: int, stream: int) -> np.uint64:
    """`phase_key` in plain Python integers (the same bits; a numba call from Python with a
    uint64 argument costs about 7 us, this 2 us), for `AIEcosystemModel.draw`."""
    key = int(run_key)
    z = _mix_py((key + (month * N_STREAMS + stream) * 0x9E3779B97F4A7C15) & _M64)
    return U64(_mix_py(z ^ key))


def run_key(seed_seq: np.random.SeedSequence) -> np.uint64:
    """The run's key: a child of the seed's SeedSequence, apart from the Generator's stream."""
    ss = np.random.SeedSequence(seed_seq.entropy, pool_size=seed_seq.pool_size,
                                spawn_key=(*seed_seq.spawn_key, COUNTER_STREAM))
    return U64(ss.generate_state(1, np.uint64)[0])

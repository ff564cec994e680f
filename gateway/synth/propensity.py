"""The latent absence propensity of each enrolment: a lognormal body with FSM, SEN and phase effects,
and a small severe-absence component."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class PhasePropensity:
    """Parameters for one phase, calibrated by simulating 150 schools over autumn 2025 (several seeds)."""

    log_median: float  # log of the median propensity of a pupil with no FSM, SEN or CIN
    spread: float  # sd of log propensity
    severe_share: float  # share of pupils drawn from the severe component
    year_slope: float  # change in log propensity per year group above the phase's first


# Index by phase: primary, secondary, special.
PHASE_PROPENSITY: Final[tuple[PhasePropensity, ...]] = (
    PhasePropensity(log_median=-3.63, spread=0.70, severe_share=0.0085, year_slope=0.0),
    PhasePropensity(log_median=-3.54, spread=0.77, severe_share=0.032, year_slope=0.07),
    PhasePropensity(log_median=-3.30, spread=0.85, severe_share=0.042, year_slope=0.0),
)
FIRST_YEAR: Final = (0, 7, 1)

# Effects on log propensity (national: FSM 10.4% vs 5.5%, SEN support 10.3%, EHC plan 12.4%, none 6.1%).
FSM_EFFECT: Final = 0.50
SEN_SUPPORT_EFFECT: Final = 0.40
EHC_PLAN_EFFECT: Final = 0.45
CHILD_IN_NEED_EFFECT: Final = 0.35
SIXTH_FORM_EFFECT: Final = 0.15


def absence_propensity(
    rng: np.random.Generator,
    phase: NDArray[np.int64],
    year_group: NDArray[np.int64],
    fsm: NDArray[np.bool_],
    sen: NDArray[np.int64],
    child_in_need: NDArray[np.bool_],
    school_factor: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Each enrolment's expected share of possible sessions missed (0..0.97)."""
    n = len(phase)
    log_median = np.array([p.log_median for p in PHASE_PROPENSITY])[phase]
    spread = np.array([p.spread for p in PHASE_PROPENSITY])[phase]
    slope = np.array([p.year_slope for p in PHASE_PROPENSITY])[phase]
    first = np.array(FIRST_YEAR)[phase]
    mainstream = phase != 2
    log_p = (
        log_median
        + slope * np.clip(year_group - first, 0, 4)
        + SIXTH_FORM_EFFECT * (year_group >= 12)
        + FSM_EFFECT * fsm
        + SEN_SUPPORT_EFFECT * (sen == 1)
        + EHC_PLAN_EFFECT * ((sen == 2) & mainstream)
        + CHILD_IN_NEED_EFFECT * child_in_need
        + np.log(school_factor)
        + spread * rng.standard_normal(n)
    )
    p = np.exp(log_p)
    # Severe absence (school refusal, long illness, disengagement) is more common with FSM and SEN.
    severe_share = np.array([p.severe_share for p in PHASE_PROPENSITY])[phase]
    severe_share = severe_share * np.where(fsm, 1.7, 0.75) * np.where(sen > 0, 1.4, 0.9)
    severe = rng.random(n) < severe_share
    p = np.where(severe, 0.42 + 0.56 * rng.beta(2.0, 2.0, n), p)
    return np.clip(p, 0.001, 0.97)

"""Rolling-bearing kinematics: the characteristic fault frequencies.

For a bearing with ``n`` rolling elements of diameter ``d`` on pitch diameter ``D`` and contact
angle ``phi``, at shaft frequency ``fr`` (Hz), the classic kinematic relations (Randall & Antoni,
2011, Eq. 1-4) are

* BPFO = n/2 · fr · (1 − d/D · cos φ)  (ball pass, outer race)
* BPFI = n/2 · fr · (1 + d/D · cos φ)  (ball pass, inner race)
* BSF  = D/(2d) · fr · (1 − (d/D · cos φ)²)  (ball spin)
* FTF  = fr/2 · (1 − d/D · cos φ)  (fundamental train, i.e. cage)

The CWRU Bearing Data Center lists the ball frequency as 4.7135 × fr, which is 2 · BSF: a spall on
a ball strikes the inner and the outer race once per spin revolution each. We keep the textbook
BSF and mark 2 · BSF where ball faults are discussed.

Examples
--------
>>> f = CWRU_DRIVE_END.frequencies(rpm=1797)
>>> round(f.bpfi, 1), round(f.bpfo, 1), round(f.bsf, 1), round(f.ftf, 2)
(162.2, 107.4, 70.6, 11.93)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Bearing", "FaultFrequencies", "CWRU_DRIVE_END"]


class FaultFrequencies(NamedTuple):
    """Characteristic frequencies in Hz at one shaft speed."""

    fr: float  # shaft rotation frequency
    bpfo: float  # ball pass frequency, outer race
    bpfi: float  # ball pass frequency, inner race
    bsf: float  # ball spin frequency
    ftf: float  # fundamental train (cage) frequency


@dataclass(frozen=True)
class Bearing:
    """Geometry of a rolling-element bearing (lengths in any one unit)."""

    name: str
    n_balls: int
    ball_diameter: float
    pitch_diameter: float
    contact_angle_deg: float = 0.0

    def __post_init__(self) -> None:
        if self.n_balls < 1:
            raise ValueError(f"n_balls must be >= 1, got {self.n_balls}")
        if not 0 < self.ball_diameter < self.pitch_diameter:
            raise ValueError(
                "need 0 < ball_diameter < pitch_diameter, got "
                f"{self.ball_diameter} and {self.pitch_diameter}"
            )

    def frequencies(self, *, rpm: float) -> FaultFrequencies:
        """Fault frequencies at shaft speed ``rpm`` (revolutions per minute)."""
        if rpm <= 0:
            raise ValueError(f"rpm must be > 0, got {rpm}")
        fr = rpm / 60.0
        ratio = (
            self.ball_diameter
            / self.pitch_diameter
            * math.cos(math.radians(self.contact_angle_deg))
        )
        return FaultFrequencies(
            fr=fr,
            bpfo=self.n_balls / 2 * fr * (1 - ratio),
            bpfi=self.n_balls / 2 * fr * (1 + ratio),
            bsf=self.pitch_diameter / (2 * self.ball_diameter) * fr * (1 - ratio**2),
            ftf=fr / 2 * (1 - ratio),
        )


# SKF 6205-2RS JEM deep-groove ball bearing at the CWRU drive end (inches), from the CWRU
# Bearing Data Center's bearing-specification page.
CWRU_DRIVE_END = Bearing("SKF 6205-2RS JEM", n_balls=9, ball_diameter=0.3126, pitch_diameter=1.537)

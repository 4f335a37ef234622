"""The ``interpretability`` chapter: its parameters and the sizes of its three profiles.

It explains the hybrid-network chapter's trained model of the same profile (that chapter's
sizes decide the model; see :func:`qpdm_lib.qeml.explain.trained_model`).
"""

from ..params import COMMON, Chapter, Param

ORDER = 90  # position in ``qpdm list``

CHAPTER = Chapter(
    id="interpretability",
    title="Interpretability",
    params={
        **COMMON,
        "trees": Param(
            int, "trees of the random forest on the hand-crafted features", low=1, high=2000
        ),
        "shap_windows": Param(int, "test windows explained by TreeSHAP (0 = all)", low=0),
        "head_windows": Param(int, "test windows explained by the grouped head SHAP", low=1),
        "background": Param(
            int, "training windows forming the head SHAP background", low=1, high=1000
        ),
        "cam_windows": Param(int, "test windows per class for Grad-CAM (0 = all)", low=0),
        "harmonics": Param(
            int, "harmonics of BPFI, BPFO and BSF marked as fault bands", low=1, high=100
        ),
    },
    sizes={
        "smoke": {
            "trees": 20,
            "shap_windows": 60,
            "head_windows": 12,
            "background": 10,
            "cam_windows": 8,
        },
        "quick": {
            "trees": 100,
            "shap_windows": 600,
            "head_windows": 120,
            "background": 40,
            "cam_windows": 150,
        },
        "full": {
            "trees": 300,
            "shap_windows": 0,
            "head_windows": 1000,
            "background": 100,
            "cam_windows": 0,
        },
    },  # fmt: skip
    defaults={"seed": 0, "data": "auto", "harmonics": 3},
)

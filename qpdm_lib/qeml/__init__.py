"""QEML-Net (bearing fault diagnosis): preprocessing, splits, the network, training, runs.

* :mod:`~qpdm_lib.qeml.signal`    section 3.1 preprocessing, vectorised over windows
* :mod:`~qpdm_lib.qeml.splits`    the paper's split over windows and the leakage-free split by record
* :mod:`~qpdm_lib.qeml.models`    ResNet + CBAM, the circuit (PennyLane and torch), head, loss
* :mod:`~qpdm_lib.qeml.training`  the trainer, evaluation, safe checkpoints
* :mod:`~qpdm_lib.qeml.runs`      one training run per partition, resumable sweeps, latency
* :mod:`~qpdm_lib.qeml.explain`   section 4.6: SHAP, Grad-CAM, fault bands, fidelity monitoring
* :mod:`~qpdm_lib.qeml.export`    deployment: ONNX, FP16, TensorRT, size, memory, quantum share

Nothing heavy is imported here: ``from qpdm_lib.qeml import signal`` does not load torch.
"""

"""Neural-network pieces of QEML-Net (sections 3.3-3.6). Requires torch and PennyLane."""

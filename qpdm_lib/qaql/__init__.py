"""QAQL (remaining useful life): the one-hot QUBO, its samplers, trajectories and the agent.

* :mod:`~qpdm_lib.qaql.qubo`          Eq. 13-21: the QUBO, penalty bounds, Ising form, decoding
* :mod:`~qpdm_lib.qaql.samplers`      every sampler behind ``get_sampler(name)``
* :mod:`~qpdm_lib.qaql.trajectories`  datasets as states in trajectory order (k-means codebook)
* :mod:`~qpdm_lib.qaql.agent`         Algorithm 1: the tabular agent and its action selectors
"""

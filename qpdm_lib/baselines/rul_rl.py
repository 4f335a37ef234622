"""Reinforcement-learning RUL baselines of QAQL Table 6: SARSA, Deep Q-Network and PPO.

All three solve QAQL's problem (:mod:`qpdm_lib.qaql.agent`): the state is a 30-cycle window, the
action one of 16 RUL bins over [0, cap], the prediction the chosen bin's centre (Eq. 22), the
reward −(ŷ − y)² (Eq. 10), and the transition exogenous: the next state is the next window of the
same engine or device segment whatever the action, and ``done`` ends a segment. An *episode* is
one pass over all training windows in trajectory order, as in QAQL (8 episodes). Prediction is
greedy (the best bin; PPO: the policy's most probable bin), with no exploration.

What QAQL leaves open for its baselines, and what we chose:

* the hyper-parameters QAQL shares with its own agent (bins, episodes, γ = 0.99, ε from 1.0 to
  0.05 over the first 80 % of the steps, replay of 10,000 and minibatches of 64) are taken from
  :class:`~qpdm_lib.qaql.agent.AgentConfig`, so that only the learner differs;
* the state: SARSA is tabular, on the same k-means states as QAQL
  (:class:`~qpdm_lib.qaql.trajectories.StateCoder` with its defaults, fitted on the training
  windows with the same seed, so the states are identical); the neural learners see the window
  summary of :func:`~qpdm_lib.baselines.rul.window_summary` (mean, last value, OLS slope and
  standard deviation of each feature), standardised on the training windows;
* the neural learners' rewards are divided by cap² (they lie in [−1, 0]; the greedy bin is
  unchanged), since squared errors of thousands of cycles² would swamp the networks' gradients;
  SARSA's table uses the raw reward as QAQL's does.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..qaql.agent import AgentConfig, bin_centres
from ..qaql.trajectories import StateCoder
from ..qeml.training import resolve_device
from . import _torch
from ._torch import positive
from .rul import RULInputs, RULModel, window_summary

__all__ = [
    "SARSAConfig",
    "SARSA",
    "DeepQConfig",
    "DQNConfig",
    "DeepQNetwork",
    "PPOConfig",
    "PPO",
    "deep_q_learning",
    "epsilon",
    "sarsa_update",
    "gae",
]


@dataclass(frozen=True)
class _MDPConfig:
    n_bins: int = AgentConfig.n_bins  # actions: RUL bins over [0, cap] (QAQL: 16)
    episodes: int = AgentConfig.episodes  # passes over the training trajectories (QAQL: 8)
    discount: float = AgentConfig.discount  # γ (QAQL: 0.99)

    def __post_init__(self) -> None:
        positive(self, "episodes")
        if self.n_bins < 2:
            raise ValueError(f"{type(self).__name__}.n_bins must be >= 2, got {self.n_bins}")
        if not 0 <= self.discount <= 1:
            raise ValueError(
                f"{type(self).__name__}.discount must be in [0, 1], got {self.discount}"
            )


@dataclass(frozen=True)
class _EpsilonConfig(_MDPConfig):
    epsilon_start: float = AgentConfig.epsilon_start  # QAQL: 1.0
    epsilon_end: float = AgentConfig.epsilon_end  # QAQL: 0.05
    epsilon_decay_fraction: float = AgentConfig.epsilon_decay_fraction  # QAQL: 0.8 of all steps

    def __post_init__(self) -> None:
        super().__post_init__()
        if not (0 <= self.epsilon_end <= self.epsilon_start <= 1):
            raise ValueError(f"need 0 <= epsilon_end <= epsilon_start <= 1, got "
                             f"{self.epsilon_end} and {self.epsilon_start}")  # fmt: skip
        if not 0 < self.epsilon_decay_fraction <= 1:
            raise ValueError(f"epsilon_decay_fraction must be in (0, 1], got "
                             f"{self.epsilon_decay_fraction}")  # fmt: skip


def epsilon(config: _EpsilonConfig, step: np.ndarray | int, total: int) -> np.ndarray:
    """ε at ``step`` of ``total``: linear from start to end over the decay fraction (as QAQL).

    >>> float(epsilon(SARSAConfig(), 40, 100))
    0.525
    """
    progress = np.minimum(1.0, np.asarray(step) / max(1.0, config.epsilon_decay_fraction * total))
    return config.epsilon_start + (config.epsilon_end - config.epsilon_start) * progress


class _RLModel(RULModel):
    """Shared by the learners: bins, the standardised window summary, greedy prediction."""

    def _setup(self, train: RULInputs) -> None:
        self.centres_ = bin_centres(self.config.n_bins, train.cap)

    def _summary(self, x: np.ndarray) -> np.ndarray:
        return ((window_summary(x) - self.mean_) / self.std_).astype(np.float32)

    def _fit_summary(self, train: RULInputs) -> np.ndarray:
        s = window_summary(train.x)
        self.mean_ = s.mean(axis=0)
        self.std_ = np.where(s.std(axis=0) > 0, s.std(axis=0), 1.0)
        return self._summary(train.x)


# -- SARSA -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SARSAConfig(_EpsilonConfig):
    learning_rate: float = AgentConfig.learning_rate  # TD step α (QAQL: 0.1)
    n_states: int = AgentConfig.n_states  # k-means codebook size (QAQL's: 64)

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "n_states")
        if not 0 < self.learning_rate <= 1:
            raise ValueError(
                f"SARSAConfig.learning_rate must be in (0, 1], got {self.learning_rate}"
            )


def sarsa_update(
    table: np.ndarray, s: int, a: int, r: float, s_next: int, a_next: int, done: bool, *,
    learning_rate: float, discount: float,
) -> None:  # fmt: skip
    """One SARSA step in place: Q(s, a) += α [r + γ (1 − done) Q(s', a') − Q(s, a)].

    ``a_next`` is the action the policy takes at ``s_next`` (on-policy), not the greedy one.

    >>> q = np.array([[0.0, 1.0], [2.0, 4.0]])
    >>> sarsa_update(q, 0, 1, -3.0, 1, 0, False, learning_rate=0.1, discount=0.5)
    >>> float(q[0, 1])  # target -3 + 0.5 · Q(1, 0) = -2: 1 + 0.1 · (-2 - 1)
    0.7
    """
    target = r if done else r + discount * table[s_next, a_next]
    table[s, a] += learning_rate * (target - table[s, a])


class SARSA(_RLModel):
    """Tabular SARSA on QAQL's discrete states (QAQL Table 6, "SARSA").

    On-policy TD control (Sutton & Barto, 2018, section 6.4): at each window t the action a_t is
    ε-greedy on Q(s_t, ·), and Q(s_t, a_t) += α [r_t + γ Q(s_{t+1}, a_{t+1}) − Q(s_t, a_t)], where
    a_{t+1} is the action the policy then takes at the next window (no bootstrap when ``done``).
    No replay buffer: replaying old transitions would make it off-policy, so it is not SARSA.
    Greedy ties are broken uniformly at random. As in QAQL, the table starts at 0 and prediction
    ignores (state, bin) pairs no update touched; a state never visited predicts the bin of the
    mean training RUL.

    States: ``train.states`` when given (then ``predict`` needs a :class:`RULInputs` with
    ``states``), else the k-means codes of :class:`~qpdm_lib.qaql.trajectories.StateCoder` (its
    default summaries) fitted on the training windows with ``n_states`` and the fit's seed:
    QAQL's states.
    ``n_parameters``: table entries (states × bins) plus the codebook (states × summary features).
    """

    name = "SARSA"
    Config = SARSAConfig

    def _fit(self, train: RULInputs, seed: int) -> None:
        c = self.config
        self._setup(train)
        self.coder_ = None
        if train.states is not None:
            states, n_states = train.states, max(c.n_states, int(train.states.max()) + 1)
        else:
            self.coder_ = StateCoder(c.n_states, seed=seed).fit(train.x)
            states, n_states = self.coder_.transform(train.x), c.n_states
        self.table_ = np.zeros((n_states, c.n_bins))
        self.visits_ = np.zeros((n_states, c.n_bins), dtype=np.int64)
        self.fallback_bin_ = int(np.argmin(np.abs(self.centres_ - train.y.mean())))
        rng = np.random.default_rng(seed)
        n, total = len(train), c.episodes * len(train)
        rul, done = train.y, train.done
        self.history_ = []

        def choose(s: int, eps: float, u_explore: float, u_action: float) -> int:
            if u_explore < eps:
                return int(u_action * c.n_bins)
            row = self.table_[s]
            best = np.flatnonzero(row == row.max())
            return int(best[int(u_action * len(best))])

        step = 0
        for episode in range(c.episodes):
            u = rng.random((n, 2))
            eps = epsilon(c, np.arange(step, step + n), total)
            a = choose(states[0], eps[0], *u[0])
            sq_error = 0.0
            for t in range(n):
                s = states[t]
                r = -((self.centres_[a] - rul[t]) ** 2)  # QAQL Eq. 10
                sq_error -= r
                last = done[t] or t == n - 1
                # the action the policy takes next: on the next window of this segment, or the
                # first action of the next segment (drawn afresh, not bootstrapped on)
                a_next = choose(states[t + 1], eps[t + 1], *u[t + 1]) if t < n - 1 else 0
                sarsa_update(self.table_, s, a, r, states[t + 1] if t < n - 1 else 0, a_next,
                             last, learning_rate=c.learning_rate, discount=c.discount)  # fmt: skip
                self.visits_[s, a] += 1
                step += 1
                a = a_next
            self.history_.append(
                {"episode": episode + 1, "train_rmse_behaviour": float(np.sqrt(sq_error / n))}
            )

    def greedy_bins(self) -> np.ndarray:
        """The learned bin of every state (untried pairs ignored, unseen states: fallback)."""
        masked = np.where(self.visits_ > 0, self.table_, -np.inf)
        bins = np.argmax(masked, axis=1)
        return np.where(self.visits_.sum(axis=1) > 0, bins, self.fallback_bin_)

    def _predict(self, x: np.ndarray, data: RULInputs | None) -> np.ndarray:
        if self.coder_ is None:
            if data is None or data.states is None:
                raise ValueError("SARSA was fitted on given states: predict needs a RULInputs "
                                 "with states")  # fmt: skip
            states = data.states
        else:
            states = self.coder_.transform(x)
        bins = self.greedy_bins()
        known = states < len(bins)  # a state code training never saw: the fallback bin
        return self.centres_[np.where(known, bins[np.where(known, states, 0)], self.fallback_bin_)]

    def n_parameters(self) -> int:
        codebook = self.coder_.kmeans.cluster_centers_.size if self.coder_ is not None else 0
        return int(self.table_.size + codebook)


# -- Deep Q-learning (shared with the quantum Q-learners) ---------------------------------------
@dataclass(frozen=True)
class DeepQConfig(_EpsilonConfig):
    """Deep Q-learning (Mnih et al., 2015) on QAQL's MDP; the network is the subclass's."""

    lr: float = 1e-3  # Adam step size (Mnih et al. used RMSProp; Adam is today's default)
    replay_size: int = AgentConfig.replay_size  # QAQL: 10,000 transitions
    batch_size: int = AgentConfig.batch_size  # QAQL: 64
    train_every: int = 4  # environment steps per gradient step (Mnih et al.: 4)
    target_every: int = 1000  # steps between target-network copies (Mnih et al.: 10,000)
    device: str = "cpu"

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "replay_size", "batch_size", "train_every", "target_every")
        if not self.lr > 0:
            raise ValueError(f"{type(self).__name__}.lr must be > 0, got {self.lr}")


def deep_q_learning(
    qnet: nn.Module,
    features: np.ndarray,
    train: RULInputs,
    centres: np.ndarray,
    config: DeepQConfig,
    *,
    seed: int,
) -> list[dict]:
    """Train ``qnet`` (features → one Q-value per bin) by deep Q-learning, in place.

    Textbook DQN: ε-greedy behaviour, every transition (window, bin, reward, next window, done)
    into a replay buffer of ``replay_size``; every ``train_every`` steps one Adam step on a
    uniformly drawn minibatch, Huber loss towards r + γ (1 − done) max_a' Q_target(s', a'); the
    target network copied from the online one every ``target_every`` steps. Rewards are
    −(ŷ − y)² / cap². The network is constant between gradient steps, so the Q-values of the
    ``train_every`` windows in between are computed in one batch (the same actions as one by
    one). Returns one history row per episode.
    """
    c = config
    device = _torch.device_of(qnet)
    rng = np.random.default_rng(seed)
    n, total = len(train), c.episodes * len(train)
    feats = torch.as_tensor(features, dtype=torch.float32, device=device)
    following = np.append(np.arange(1, n), 0)  # exogenous: the next window (no bootstrap at done)
    rul, done, scale = train.y, train.done, 1.0 / train.cap**2
    target = copy.deepcopy(qnet).eval()
    optimiser = torch.optim.Adam(qnet.parameters(), lr=c.lr)
    buffer_t = np.zeros(c.replay_size, np.int64)
    buffer_a = np.zeros(c.replay_size, np.int64)
    buffer_r = np.zeros(c.replay_size, np.float32)
    stored, step, history, sq_error = 0, 0, [], 0.0
    while step < total:
        k = min(c.train_every, total - step)
        steps = np.arange(step, step + k)
        t = steps % n
        with torch.no_grad():
            q = qnet(feats[t]).cpu().numpy()
        explore = rng.random(k) < epsilon(c, steps, total)
        a = np.where(explore, rng.integers(0, c.n_bins, k), q.argmax(axis=1))
        error2 = (centres[a] - rul[t]) ** 2
        slot = (stored + np.arange(k)) % c.replay_size
        buffer_t[slot], buffer_a[slot], buffer_r[slot] = t, a, -error2 * scale
        stored += k
        for s, e in zip(steps, error2, strict=True):  # per-episode behaviour error, for history
            sq_error += e
            if (s + 1) % n == 0:
                history.append({"episode": (s + 1) // n, "train_rmse_behaviour": float(
                    np.sqrt(sq_error / n))})  # fmt: skip
                sq_error = 0.0
        if stored >= c.batch_size:
            pick = rng.integers(0, min(stored, c.replay_size), c.batch_size)
            bt = buffer_t[pick]
            idx = torch.as_tensor(bt, device=device)
            actions = torch.as_tensor(buffer_a[pick], device=device)
            rewards = torch.as_tensor(buffer_r[pick], device=device)
            live = torch.as_tensor(1.0 - done[bt], dtype=torch.float32, device=device)
            q_sa = qnet(feats[idx]).gather(1, actions[:, None]).squeeze(1)
            with torch.no_grad():
                best_next = target(feats[torch.as_tensor(following[bt], device=device)]).max(1)
                y = rewards + c.discount * live * best_next.values
            loss = F.smooth_l1_loss(q_sa, y)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        if (step + k) // c.target_every > step // c.target_every:
            target.load_state_dict(qnet.state_dict())
        step += k
    qnet.eval()
    return history


class _DeepQModel(_RLModel):
    """A Q-network trained by :func:`deep_q_learning`; prediction is the greedy bin."""

    def _build(self, n_in: int) -> nn.Module:
        raise NotImplementedError

    def _features_fit(self, train: RULInputs) -> np.ndarray:
        return self._fit_summary(train)

    def _features(self, x: np.ndarray) -> np.ndarray:
        return self._summary(x)

    def _fit(self, train: RULInputs, seed: int) -> None:
        self._setup(train)
        feats = self._features_fit(train)
        device = resolve_device(self.config.device)
        with _torch.seeded(seed, device):
            self.qnet_ = self._build(feats.shape[1]).to(device)
            self.history_ = deep_q_learning(self.qnet_, feats, train, self.centres_, self.config,
                                            seed=seed)  # fmt: skip

    def q_values(self, x: np.ndarray) -> np.ndarray:
        """Q-values (n, bins) of windows ``x`` (rewards scaled by 1 / cap²)."""
        return _torch.outputs(self.qnet_, self._features(np.asarray(x, dtype=np.float32)))

    def _predict(self, x: np.ndarray, data: RULInputs | None) -> np.ndarray:
        return self.centres_[self.q_values(x).argmax(axis=1)]

    def n_parameters(self) -> int:
        """Trainable parameters of the Q-network (the target network is a copy, not counted)."""
        return _torch.count_parameters(self.qnet_)


def _mlp(n_in: int, hidden: tuple[int, ...], n_out: int, activation=nn.ReLU) -> nn.Sequential:
    layers, before = [], n_in
    for width in hidden:
        layers += [nn.Linear(before, width), activation()]
        before = width
    return nn.Sequential(*layers, nn.Linear(before, n_out))


@dataclass(frozen=True)
class DQNConfig(DeepQConfig):
    hidden: tuple[int, ...] = (64, 64)  # MLP Q-network's hidden widths: our choice

    def __post_init__(self) -> None:
        super().__post_init__()
        if min(self.hidden, default=1) < 1:
            raise ValueError(f"DQNConfig.hidden must be widths >= 1, got {self.hidden}")


class DeepQNetwork(_DeepQModel):
    """DQN with an MLP Q-network on the window summary (QAQL Table 6, "Deep Q-Network").

    The standardised window summary (4 × features) → ReLU MLP (``hidden``) → 16 Q-values; trained by
    :func:`deep_q_learning` (replay, target network, ε-greedy, Huber loss).
    """

    name = "Deep Q-Network"
    Config = DQNConfig

    def _build(self, n_in: int) -> nn.Module:
        return _mlp(n_in, self.config.hidden, self.config.n_bins)


# -- PPO ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PPOConfig(_MDPConfig):
    """PPO-clip (Schulman et al., 2017) with GAE; defaults of Stable-Baselines3 / CleanRL."""

    hidden: tuple[int, ...] = (64, 64)  # tanh MLPs, separate actor and critic
    lr: float = 3e-4  # Adam
    rollout: int = 2048  # steps collected per update
    update_epochs: int = 10  # passes over each rollout
    minibatch: int = 64
    clip: float = 0.2  # ε of the clipped ratio
    gae_lambda: float = 0.95
    entropy: float = 0.01  # entropy bonus
    value_coef: float = 0.5
    max_grad_norm: float = 0.5
    device: str = "cpu"

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "rollout", "update_epochs", "minibatch")
        if not (self.lr > 0 and self.clip > 0 and 0 <= self.gae_lambda <= 1):
            raise ValueError(f"need lr > 0, clip > 0 and gae_lambda in [0, 1], got {self.lr}, "
                             f"{self.clip}, {self.gae_lambda}")  # fmt: skip


def gae(
    rewards: np.ndarray, values: np.ndarray, done: np.ndarray, last_value: float, *,
    discount: float, lam: float,
) -> np.ndarray:  # fmt: skip
    """Generalised advantage estimates of one rollout (Schulman et al., 2016, Eq. 16).

    ``done[i]`` cuts the bootstrap after step i; ``last_value`` is V of the state after the last.

    >>> gae(np.array([1.0, 1.0]), np.zeros(2), np.zeros(2), 0.0, discount=0.5, lam=1.0).tolist()
    [1.5, 1.0]
    """
    adv = np.zeros(len(rewards))
    running, following = 0.0, last_value
    for i in range(len(rewards) - 1, -1, -1):
        live = 1.0 - done[i]
        delta = rewards[i] + discount * live * following - values[i]
        running = delta + discount * lam * live * running
        adv[i], following = running, values[i]
    return adv


class PPO(_RLModel):
    """Proximal policy optimisation over the 16 bins (QAQL Table 6, "PPO").

    Actor: tanh MLP on the standardised window summary → 16 logits (a categorical policy over the
    bins); critic: a separate tanh MLP → V(s). One step per window, walking the trajectories; every
    ``rollout`` steps, GAE(γ, λ) advantages (bootstrapping cut at ``done``), normalised per
    minibatch, and ``update_epochs`` passes of Adam on the clipped surrogate
    − min(ρA, clip(ρ, 1 ± ε)A) + c_v (V − R)² − c_e H, gradients clipped to ``max_grad_norm``.
    Exploration is the policy's own sampling (no ε). Rewards −(ŷ − y)² / cap². Prediction: the
    policy's most probable bin. ``n_parameters``: actor and critic.
    """

    name = "PPO"
    Config = PPOConfig

    def _fit(self, train: RULInputs, seed: int) -> None:
        c = self.config
        self._setup(train)
        feats_np = self._fit_summary(train)
        device = resolve_device(c.device)
        with _torch.seeded(seed, device):
            self.actor_ = _mlp(feats_np.shape[1], c.hidden, c.n_bins, nn.Tanh).to(device)
            self.critic_ = _mlp(feats_np.shape[1], c.hidden, 1, nn.Tanh).to(device)
            with torch.no_grad():  # a near-uniform first policy (as CleanRL's 0.01 gain)
                self.actor_[-1].weight.mul_(0.01)
                self.actor_[-1].bias.zero_()
            self.history_ = self._train(feats_np, train, seed, device)

    def _train(self, feats_np, train: RULInputs, seed: int, device) -> list[dict]:
        c = self.config
        rng = np.random.default_rng(seed)
        feats = torch.as_tensor(feats_np, device=device)
        params = list(self.actor_.parameters()) + list(self.critic_.parameters())
        optimiser = torch.optim.Adam(params, lr=c.lr, eps=1e-5)
        n, total, scale = len(train), c.episodes * len(train), 1.0 / train.cap**2
        step, history = 0, []
        while step < total:
            k = min(c.rollout, total - step)
            t = (step + np.arange(k)) % n
            with torch.no_grad():
                probs = torch.softmax(self.actor_(feats[t]), dim=1).double().cpu().numpy()
                values = self.critic_(feats[t]).squeeze(1).double().cpu().numpy()
                after = (t[-1] + 1) % n
                last_value = float(self.critic_(feats[after : after + 1])) * (1 - train.done[t[-1]])
            # inverse-CDF draw of each step's bin from the policy
            cum = np.cumsum(probs, axis=1)
            a = np.minimum((cum < rng.random(k)[:, None] * cum[:, -1:]).sum(axis=1), c.n_bins - 1)
            old_logp = np.log(np.maximum(probs[np.arange(k), a], 1e-30))
            error2 = (self.centres_[a] - train.y[t]) ** 2
            adv = gae(-error2 * scale, values, train.done[t], last_value, discount=c.discount,
                      lam=c.gae_lambda)  # fmt: skip
            returns = adv + values
            history.append(
                {"steps": step + k, "rollout_rmse_behaviour": float(np.sqrt(error2.mean()))}
            )
            tt = torch.as_tensor(t, device=device)
            a_t = torch.as_tensor(a, device=device)
            old_logp_t = torch.as_tensor(old_logp, dtype=torch.float32, device=device)
            adv_t = torch.as_tensor(adv, dtype=torch.float32, device=device)
            ret_t = torch.as_tensor(returns, dtype=torch.float32, device=device)
            for _ in range(c.update_epochs):
                order = rng.permutation(k)
                for start in range(0, k, c.minibatch):
                    mb = torch.as_tensor(order[start : start + c.minibatch], device=device)
                    logits = self.actor_(feats[tt[mb]])
                    logp_all = torch.log_softmax(logits, dim=1)
                    logp = logp_all.gather(1, a_t[mb, None]).squeeze(1)
                    entropy = -(logp_all.exp() * logp_all).sum(dim=1).mean()
                    mb_adv = adv_t[mb]
                    if len(mb) > 1:
                        mb_adv = (mb_adv - mb_adv.mean()) / (mb_adv.std() + 1e-8)
                    ratio = torch.exp(logp - old_logp_t[mb])
                    policy_loss = torch.max(
                        -mb_adv * ratio, -mb_adv * torch.clamp(ratio, 1 - c.clip, 1 + c.clip)
                    ).mean()
                    value_loss = F.mse_loss(self.critic_(feats[tt[mb]]).squeeze(1), ret_t[mb])
                    loss = policy_loss + c.value_coef * value_loss - c.entropy * entropy
                    optimiser.zero_grad()
                    loss.backward()
                    nn.utils.clip_grad_norm_(params, c.max_grad_norm)
                    optimiser.step()
            step += k
        self.actor_.eval()
        self.critic_.eval()
        return history

    def policy(self, x: np.ndarray) -> np.ndarray:
        """π(bin | window): (n, bins) probabilities."""
        logits = _torch.outputs(self.actor_, self._summary(np.asarray(x, dtype=np.float32)))
        return torch.softmax(torch.as_tensor(logits), dim=1).numpy()

    def _predict(self, x: np.ndarray, data: RULInputs | None) -> np.ndarray:
        return self.centres_[self.policy(x).argmax(axis=1)]

    def n_parameters(self) -> int:
        return _torch.count_parameters(self.actor_) + _torch.count_parameters(self.critic_)

"""ResNet with bottleneck blocks (He et al., 2016), written in torch, with CBAM after chosen stages.

``ResNet(blocks=(3, 4, 6, 3), width=64)`` is ResNet-50's feature extractor (23.5 M parameters for
3 input channels, 2048 pooled features); profiles shrink ``blocks`` and ``width`` and keep the code.
QEML-Net section 3.3 places CBAM after stages 3 and 4 with independent parameters.
(torchvision has no CPU build on the book's machines, hence our own.)
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from .cbam import CBAM

__all__ = ["Bottleneck", "ResNet"]


class Bottleneck(nn.Module):
    """1×1 reduce, 3×3 (with stride), 1×1 expand ×4, identity or projected shortcut."""

    expansion = 4

    def __init__(self, in_channels: int, width: int, stride: int = 1) -> None:
        super().__init__()
        out = width * self.expansion
        self.body = nn.Sequential(
            nn.Conv2d(in_channels, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, out, 1, bias=False), nn.BatchNorm2d(out),
        )  # fmt: skip
        self.shortcut = (
            nn.Identity()
            if stride == 1 and in_channels == out
            else nn.Sequential(
                nn.Conv2d(in_channels, out, 1, stride=stride, bias=False), nn.BatchNorm2d(out)
            )
        )
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.relu(self.body(x) + self.shortcut(x))


class ResNet(nn.Module):
    """Bottleneck ResNet returning globally average-pooled features (no classifier)."""

    def __init__(
        self,
        blocks: Sequence[int] = (3, 4, 6, 3),
        *,
        width: int = 64,
        in_channels: int = 1,
        cbam_stages: Sequence[int] = (3, 4),
        reduction: int = 16,
    ) -> None:
        super().__init__()
        if len(blocks) != 4 or min(blocks) < 1:
            raise ValueError(
                f"blocks must be four counts >= 1 (ResNet-50: 3, 4, 6, 3), got {tuple(blocks)}"
            )
        if width < 1:
            raise ValueError(f"width must be >= 1, got {width}")
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, width, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(width),
            nn.ReLU(inplace=True), nn.MaxPool2d(3, stride=2, padding=1),
        )  # fmt: skip
        stages, channels = [], width
        for index, count in enumerate(blocks, start=1):
            stage_width = width * 2 ** (index - 1)
            layers = []
            for k in range(count):
                layers.append(
                    Bottleneck(channels, stage_width, stride=2 if (k == 0 and index > 1) else 1)
                )
                channels = stage_width * Bottleneck.expansion
            if index in cbam_stages:
                layers.append(CBAM(channels, reduction))  # independent parameters per stage
            stages.append(nn.Sequential(*layers))
        self.stages = nn.ModuleList(stages)
        self.out_features = channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for stage in self.stages:
            x = stage(x)
        return x.mean(dim=(2, 3))

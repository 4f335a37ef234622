import dataclasses

import pytest

from qpdm_lib.book.profiles import CHAPTERS, PROFILES, resolve
from qpdm_lib.errors import ParameterError


def test_profiles_fill_every_parameter_and_config_is_frozen():
    for chapter in CHAPTERS.values():
        for profile in PROFILES:
            cfg = resolve(chapter.id, profile=profile)
            assert set(dataclasses.asdict(cfg)) == set(chapter.params)
            with pytest.raises(dataclasses.FrozenInstanceError):
                cfg.profile = "full"


def test_overrides_from_text_and_literals():
    assert resolve("data", profile="smoke", overrides={"seed": "7"}).seed == 7
    assert (
        resolve("data", profile="smoke", overrides={"seed": 7, "pm_devices": None}).pm_devices
        == 150
    )
    assert (
        resolve("data", profile="quick", overrides={"cmapss_subset": "FD003"}).cmapss_subset
        == "FD003"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sed": "1"}, "unknown parameter 'sed' for chapter 'data'; allowed: profile, seed, data"),
        ({"seed": "abc"}, r"parameter 'seed' must be an int in \[0, 2147483647\], got 'abc'"),
        ({"seed": -1}, r"parameter 'seed' must be an int in \[0, 2147483647\], got -1"),
        ({"seed": 1.5}, "parameter 'seed' must be an int"),
        ({"seed": True}, "parameter 'seed' must be an int"),
        (
            {"data": "fake"},
            "parameter 'data' must be one of 'auto', 'real', 'synthetic', got 'fake'",
        ),
        ({"cmapss_subset": "FD005"}, "parameter 'cmapss_subset' must be one of 'FD001'"),
        ({"pm_devices": "-3"}, "parameter 'pm_devices' must be an int >= 0, got -3"),
    ],
)
def test_bad_parameters_fail_with_one_line(overrides, message):
    with pytest.raises(ParameterError, match=message) as info:
        resolve("data", profile="quick", overrides=overrides)
    assert "\n" not in str(info.value)


def test_list_parameters_check_every_item():
    cfg = resolve("qaql", profile="smoke", overrides={"selectors": "greedy, fast"})
    assert cfg.selectors == "greedy,fast"
    with pytest.raises(
        ParameterError,
        match="parameter 'selectors' must be a comma-separated list of greedy, .*; 'ucb' given",
    ):
        resolve("qaql", profile="smoke", overrides={"selectors": "greedy,ucb"})


def test_bad_profile_and_chapter():
    with pytest.raises(
        ParameterError,
        match="parameter 'profile' must be one of 'smoke', 'quick', 'full', got 'fast'",
    ):
        resolve("data", profile="fast")
    with pytest.raises(ParameterError, match="unknown chapter 'nope'; chapters are: data"):
        resolve("nope")


def test_error_renders_as_one_line_in_ipython():
    err = ParameterError("parameter 'seed' must be an int, got 'x'")
    assert err._render_traceback_() == ["ParameterError: parameter 'seed' must be an int, got 'x'"]


def test_a_profile_given_twice_is_refused_and_the_same_one_twice_is_fine():
    with pytest.raises(ParameterError, match="the profile is given twice"):
        resolve("data", profile="smoke", overrides={"profile": "quick"})
    assert resolve("data", profile="smoke", overrides={"profile": "smoke"}).profile == "smoke"


@pytest.mark.parametrize("raw", ["nan", float("nan"), "inf", float("-inf")])
def test_non_finite_numbers_are_refused(raw):
    with pytest.raises(ParameterError, match="parameter 'lr' must be"):
        resolve("hybrid-network", profile="smoke", overrides={"lr": raw})


def test_allowed_values_read_as_english():
    assert CHAPTERS["qaql"].params["num_reads"].allowed() == "an int in [1, 100000]"
    assert CHAPTERS["hybrid-network"].params["lr"].allowed().startswith("a float in")


def test_a_text_page_is_named_as_such():
    with pytest.raises(ParameterError, match="'intro' is a text page"):
        resolve("intro")

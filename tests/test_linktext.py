"""The words for what a link shows, and the month it holds."""
from gengdi import linktext as L
from gengdi.ui.controls import SHORT_KEYS


def test_summary_names_month_weights_and_scenario():
    params = {"month": ["2023年6月"], "w_proj": ["50"], "sim_u": ["中站区"], "sim_p": ["5"]}
    assert L.summary(params, "焦作市", SHORT_KEYS) == "焦作市 · 2023年6月 · 项目保障率权重50% · 模拟：中站区再保障5个"


def test_defaults_are_not_listed_as_changes():
    params = {"w_proj": ["30"], "w_cult": ["20.0"], "red_proj": ["85"], "yel_proj": ["90.0"], "sim_p": ["0"], "cats": [""]}
    assert L.changed_inputs(params, SHORT_KEYS) == []
    assert L.summary(params, "焦作市", SHORT_KEYS) == "焦作市 · 始终显示最新月份"


def test_changed_lines_targets_and_categories():
    params = {"red_proj": ["80"], "cats": ["省重点"], "sim_ct": ["1.5"], "sim_tu": ["温县"],
              "sim_u": ["马村区"], "sim_us": ["2000"]}
    assert L.changed_inputs(params, SHORT_KEYS) == [
        "项目保障率红线80%", "保障率只计省重点", "模拟：耕地保有量目标+1.5%（温县）；马村区再处置批而未供2,000亩"]


def test_a_fixed_link_holds_the_month_and_a_latest_link_has_none():
    params = {"w_proj": ["60"], "date": ["2023-06-15"]}
    assert L.with_month(params, "2023年6月", L.FIXED) == [("month", "2023年6月"), ("date", "2023-06-15"), ("w_proj", "60")]
    assert L.with_month({"month": ["2023年5月"], "w_proj": ["60"]}, "2023年5月", L.LATEST) == [("w_proj", "60")]

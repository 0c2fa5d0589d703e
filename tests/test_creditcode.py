"""GB 32100 unified social credit codes."""

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from workbench import creditcode

body = st.text(alphabet=creditcode.ALPHABET, min_size=17, max_size=17)


def test_a_published_code_is_valid():
    # 18-character code printed on a public business licence sample
    assert creditcode.is_valid("91350100M000100Y43")
    assert not creditcode.is_valid("91350100M000100Y44")


@given(body)
def test_check_character_makes_a_valid_code(first17):
    assert creditcode.is_valid(first17 + creditcode.check_character(first17))


@given(body, st.integers(0, 16), st.sampled_from(creditcode.ALPHABET))
def test_any_single_substitution_is_detected(first17, pos, ch):
    code = first17 + creditcode.check_character(first17)
    changed = code[:pos] + ch + code[pos + 1:]
    assert creditcode.is_valid(changed) == (changed == code)


def test_vectorised_validation_handles_missing_and_malformed():
    s = pd.Series(["91350100M000100Y43", None, "", "91350100m000100Y43", "9135", "I" * 18])
    assert creditcode.validate(s).tolist() == [True, False, False, False, False, False]

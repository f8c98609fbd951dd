"""Keep a Changelog parsing, validation and byte-preserving edits."""

from __future__ import annotations

from gates.knowledge import keepachangelog as kac

GOOD = """# Changelog

Intro text.

## [Unreleased]

### Added

- Hand-written entry.

## [1.1.0] - 2026-01-02

### Fixed

- A fix
  that wraps.

## [1.0.0] - 2025-12-01 [YANKED]

### Added

- First.

[Unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0
"""


def rules(text: str) -> list[tuple[str, int]]:
    return [(p.rule, p.line) for p in kac.validate(kac.parse(text)) if not p.warning]


def test_parse_sections_entries_links_and_yanked():
    changelog = kac.parse(GOOD)
    assert [s.title for s in changelog.sections] == ["Unreleased", "1.1.0", "1.0.0"]
    assert changelog.unreleased.entries() == ["Hand-written entry."]
    assert changelog.section("1.1.0").entries() == ["A fix that wraps."]
    assert changelog.section("1.0.0").yanked
    assert changelog.section("1.1.0").date == "2026-01-02"
    assert changelog.links["1.0.0"][1] == 26
    assert kac.validate(changelog) == []
    assert changelog.text == GOOD


def test_each_problem_has_its_line():
    text = GOOD.replace("## [1.1.0] - 2026-01-02", "## [1.1] - 2026-02-30").replace(
        "### Fixed", "### Bugfixes"
    )
    assert rules(text) == [("version", 11), ("date", 11), ("category", 13)]


def test_order_duplicate_and_missing_unreleased():
    swapped = (
        "# C\n\n## [1.0.0] - 2025-01-01\n\n## [1.1.0] - 2025-02-01\n\n## [1.0.0] - 2024-01-01\n"
    )
    assert rules(swapped) == [("unreleased", 3), ("order", 5), ("duplicate", 7)]


def test_unreleased_must_come_first_and_carry_no_date():
    text = "# C\n\n## [1.0.0] - 2025-01-01\n\n## [Unreleased] - 2025-02-01\n"
    assert ("unreleased", 5) in rules(text)
    assert ("heading", 5) in rules(text)


def test_prerelease_ordering_follows_semver():
    text = "## [Unreleased]\n\n## [1.0.0] - 2025-02-01\n\n## [1.0.0-rc.10] - 2025-01-10\n\n## [1.0.0-rc.2] - 2025-01-02\n"
    assert rules(text) == []
    assert kac.semver_key("1.0.0-rc.2") < kac.semver_key("1.0.0-rc.10") < kac.semver_key("1.0.0")


def test_missing_link_reference_is_a_warning():
    text = GOOD.replace("[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0\n", "")
    problems = kac.validate(kac.parse(text))
    assert [(p.rule, p.line, p.warning) for p in problems] == [("link", 18, True)]


def test_headings_inside_code_fences_are_not_sections():
    text = "## [Unreleased]\n\n```\n## [9] - nope\n```\n"
    assert [s.title for s in kac.parse(text).sections] == ["Unreleased"]


def test_merge_unreleased_keeps_hand_written_lines_and_is_idempotent():
    merged = kac.merge_unreleased(
        GOOD, {"Added": ["Hand-written entry.", "New one."], "Fixed": ["Bug."]}
    )
    assert merged.count("Hand-written entry.") == 1
    section = kac.parse(merged).unreleased
    assert section.category("Added").entries == ["Hand-written entry.", "New one."]
    assert section.category("Fixed").entries == ["Bug."]
    assert kac.merge_unreleased(merged, {"Added": ["New one."], "Fixed": ["Bug."]}) == merged
    # everything from the first release down is untouched
    tail = GOOD[GOOD.index("## [1.1.0]") :]
    assert merged.endswith(tail)
    assert rules(merged) == []


def test_release_unreleased_and_links_keep_other_bytes_and_crlf():
    crlf = GOOD.replace("\n", "\r\n")
    released = kac.release_unreleased(crlf, "1.2.0", "2026-03-01")
    released = kac.set_link(released, "1.2.0", "https://github.com/o/r/compare/v1.1.0...v1.2.0")
    released = kac.set_link(released, "Unreleased", "https://github.com/o/r/compare/v1.2.0...HEAD")
    assert "\n" not in released.replace("\r\n", "")
    changelog = kac.parse(released)
    assert [s.title for s in changelog.sections] == ["Unreleased", "1.2.0", "1.1.0", "1.0.0"]
    assert changelog.section("1.2.0").entries() == ["Hand-written entry."]
    assert changelog.unreleased.entries() == []
    assert released.index("[1.2.0]: ") < released.index("[1.1.0]: ")
    assert "[Unreleased]: https://github.com/o/r/compare/v1.2.0...HEAD\r\n" in released
    assert kac.validate(changelog) == []
    assert released.endswith(
        crlf[crlf.index("## [1.1.0]") : crlf.index("[Unreleased]:")]
        + "[Unreleased]: https://github.com/o/r/compare/v1.2.0...HEAD\r\n"
        + crlf[crlf.index("[1.1.0]: ") :].replace(
            "[1.1.0]: ", "[1.2.0]: https://github.com/o/r/compare/v1.1.0...v1.2.0\r\n[1.1.0]: ", 1
        )
    )


def test_insert_release_goes_in_version_order():
    inserted = kac.insert_release(GOOD, "1.0.5", "2025-12-15", {"Fixed": ["Patch."]})
    assert [s.title for s in kac.parse(inserted).sections] == [
        "Unreleased",
        "1.1.0",
        "1.0.5",
        "1.0.0",
    ]
    assert rules(inserted) == []
    assert inserted.replace("## [1.0.5] - 2025-12-15\n\n### Fixed\n\n- Patch.\n\n", "") == GOOD


def test_new_file_is_valid():
    text = kac.new_file(
        [
            kac.render_section(None, None, {}),
            kac.render_section("0.1.0", "2026-01-01", {"Added": ["X."]}),
        ],
        [],
    )
    assert rules(text) == []
    assert "## [Unreleased]\n\n## [0.1.0] - 2026-01-01\n\n### Added\n\n- X.\n" in text


def test_merge_into_a_file_without_final_newline_or_unreleased():
    text = "# Changelog\n\n## [1.0.0] - 2025-01-01\n\n### Added\n\n- First."
    merged = kac.merge_unreleased(text, {"Fixed": ["Bug."]})
    assert merged.startswith(
        "# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- Bug.\n\n## [1.0.0] - 2025-01-01\n"
    )
    assert merged.endswith("- First.")
    again = kac.merge_unreleased("## [Unreleased]\n\n### Fixed\n\n- A.", {"Fixed": ["B."]})
    assert again == "## [Unreleased]\n\n### Fixed\n\n- A.\n- B.\n"

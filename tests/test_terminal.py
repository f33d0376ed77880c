"""The real program in a real terminal: tmux send-keys and capture-pane."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from ncnd_assistant.interview.session import Session

pytestmark = pytest.mark.slow  # tmux: a real terminal, seconds per test


class Tmux:
    def __init__(self, command: str, env: dict[str, str], size: tuple[int, int] = (160, 50)):
        self.name = f"ncnd-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        argv = ["tmux", "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]),
                f"env {exports} {command}; echo EXITED; sleep 60"]
        for _ in range(20):  # a tmux server that is shutting down refuses new sessions for a moment
            if subprocess.run(argv, capture_output=True).returncode == 0:
                return
            time.sleep(0.2)
        subprocess.run(argv, check=True)

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-J", "-S", "-200", "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

    def wait_for(self, text: str, times: int = 1, timeout: float = 20) -> str:
        """Wait until `text` is on the screen (at least `times` times)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if screen.count(text) >= times:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear {times} time(s); screen:\n{self.screen()}")

    def answer(self, text: str, then_wait_for: str, times: int = 1) -> str:
        """Type a line; wait for the next screen (`times`: how often the text must then be shown)."""
        self.send(text, "Enter")
        return self.wait_for(then_wait_for, times)

    def visible(self) -> str:
        """Only what is on the screen now (no scrollback)."""
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True,
                              check=True).stdout

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for the terminal test (.ci/run installs it)")
    return tmp_path


def ncnd(*args: str) -> str:
    return " ".join([shlex.quote(sys.executable), "-m", "ncnd_assistant", *map(shlex.quote, args)])


def test_ctrl_c_then_resume_in_a_real_terminal(tmp: Path) -> None:
    env = {"NCND_DATA_DIR": str(tmp / "data"), "PYTHONPATH": os.getcwd(), "TERM": "xterm"}
    first = Tmux(ncnd("interview", "--case-ref", "TMUX-1", "--audit", str(tmp / "audit.jsonl")), env)
    try:
        first.wait_for("Which law applies?")
        first.answer("", "Date received")  # Enter: FOIA
        first.answer("2026-11-02", "Paste the request text")
        first.answer("Do you use covert facial recognition?", "")
        first.answer(".", "Your name")
        first.answer("Jo Officer", "Part 1: short name")
        first.answer("covert", "what it asks")
        first.answer("Covert use of FR", "topic tags")
        first.answer("facial-recognition", "Add another part?")
        first.answer("n", "Is this request vexatious?")
        first.answer("n", "confirming or denying alone")
        first.answer("maybe", "Please answer yes or no")
        first.answer("?", "FS50550891")
        first.answer("n", "security body listed in s23(3)")
        first.send("C-c")
        screen = first.wait_for("ncnd interview --resume ")  # the command itself, not just its heading
        time.sleep(0.3)
        screen = first.screen()  # the whole path, once the line is complete
    finally:
        first.close()
    match = re.search(r"ncnd interview --resume (\S+)", screen)
    assert match, screen
    path = Path(match.group(1))
    assert Session.load(path).parts[0].pending == "security_body"

    second = Tmux(ncnd("interview", "--resume", str(path)), env)
    try:
        screen = second.wait_for("security body listed in s23(3)")
        assert "EXITED" not in screen and "Traceback" not in screen
        second.answer("review", "Number to change")
        second.answer("1", "Enter keeps 'No'")  # back at the first question, its answer kept
        # keeping it goes straight on to the first unanswered question: the later answers are intact
        screen = second.answer("", "security body listed in s23(3)", times=2)
        assert screen.count("confirming or denying alone") == 1 and "Traceback" not in screen
    finally:
        second.close()


def test_a_contradiction_is_asked_again_in_a_real_terminal(tmp: Path) -> None:
    """The officer finds harm, then says a plain yes or no to the general request would do none: the
    question is asked again with the reason, and the decision waits until the answers agree."""
    answers = Path(__file__).parent / "fixtures" / "answers" / "harm-contradiction.yaml"
    env = {"NCND_DATA_DIR": str(tmp / "data"), "PYTHONPATH": os.getcwd(), "TERM": "xterm"}
    term = Tmux(ncnd("interview", "--answers", str(answers), "--audit", str(tmp / "audit.jsonl"),
                     "--notice-out", str(tmp / "n.md")), env)
    try:
        term.wait_for("Date received")
        term.answer("2026-11-02", "Your name")
        screen = term.answer("", "Your answers contradict each other")
        assert "would a plain" in screen and "Traceback" not in screen
        term.answer("n", "Your answers contradict each other", times=2)  # the same answer: asked again
        screen = term.answer("y", "at least 8 words")  # the file's five-word reason is asked again
        screen = term.answer("A yes or no from every force would map where trackers are used.", "ccept")
        assert "Neither confirm nor deny" in screen
        term.answer("a", "Press Enter to keep it")  # the letter step: the part's sentence, then the officer's text
        screen = term.answer("", "eave it out of the letter")
        assert "Held-invariance covers the rule base's wording only" in screen
        term.answer("c", "EXITED")
    finally:
        term.close()


COVERT_LAST_QUESTION = """\
case_ref: FIT-1
regime: foia
received: 2018-06-11
officer: A. Officer
request: Does the force use facial recognition technology on CCTV imagery, covertly or otherwise?
parts:
  - id: covert
    summary: Covert use of facial recognition technology
    tags: [facial-recognition, covert-tactics]
    answers:
      vexatious: false
      confirm_cost_exceeds: false
      security_body: false
      covert_tactic: true
      security_matter: false
      investigation: false
      confidential_source: false
      safety_concern: false
      personal_data: "no"
      other_matters: false
      ns_harm: true
      le_harm: would
      endanger: "no"
      officially_confirmed: false
      request_specificity: specific
"""


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_progress_and_the_recommendation_are_on_screen_at_120x40_and_80x24(tmp: Path, size: tuple[int, int]) -> None:
    """The public-interest question shows where the officer is; at the accept prompt the
    recommendation, its provisions and the balance are on the screen, not scrolled away."""
    answers = tmp / "covert.yaml"
    answers.write_text(COVERT_LAST_QUESTION, encoding="utf-8")
    env = {"NCND_DATA_DIR": str(tmp / "data"), "PYTHONPATH": os.getcwd(), "TERM": "xterm"}
    term = Tmux(ncnd("interview", "--answers", str(answers), "--audit", str(tmp / "audit.jsonl"),
                     "--notice-out", str(tmp / "n.md")), env, size)
    try:
        term.wait_for("[y/n] >")
        screen = term.visible()
        assert re.search(r"Part 1 of 1 .* question \d+ of about \d+", screen), screen
        assert "Weigh the public interest" in screen and "The rules recommend" in screen
        term.answer("y", "[text] >")
        term.answer("A yes or no would tell offenders whether this covert capability exists here.", "[q]uit")
        screen = term.visible()
        assert "Recommendation: Neither confirm nor deny" in screen, screen
        assert "S24(2) National Security" in screen and "S31(3) Law Enforcement" in screen, screen
        assert "Balance: favours neither confirming nor denying" in screen, screen
        # the letter step: keep the part's summary, confirm the officer's own text (nothing flagged)
        term.answer("a", "Press Enter to keep it")
        term.answer("", "to confirm it as it is")
        term.answer("", "EXITED")
        assert "Traceback" not in term.screen()
    finally:
        term.close()
    assert not list((tmp / "data" / "sessions").glob("*.json")) or all(
        Session.load(p).finished for p in (tmp / "data" / "sessions").glob("*.json"))


def test_foisa_chosen_in_a_real_terminal_gives_the_scottish_commissioner(tmp: Path) -> None:
    """The officer chooses FOISA at "Which law applies?": the time limit is FOISA's, the part is refused
    under FOISA s14(1), and the letter gives the route to the Scottish Information Commissioner."""
    env = {"NCND_DATA_DIR": str(tmp / "data"), "PYTHONPATH": os.getcwd(), "TERM": "xterm"}
    notice = tmp / "n.md"
    term = Tmux(ncnd("interview", "--audit", str(tmp / "audit.jsonl"), "--notice-out", str(notice)), env)
    try:
        term.wait_for("Case reference")
        term.answer("PS-1", "Which law applies?")
        term.answer("3", "Date received")
        screen = " ".join(term.answer("2026-11-02", "Paste the request text").split())
        assert "FOISA s10(1)" in screen and "Scottish bank holidays" in screen
        term.answer("All emails about the requester", "")
        term.answer(".", "Your name")
        term.answer("Jo Officer", "Part 1: short name")
        term.answer("all", "what it asks")
        term.answer("All emails", "topic tags")
        term.answer("", "Add another part?")
        term.answer("n", "vexatious")
        term.answer("1", "Are you sure?")
        term.answer("y", "why")
        screen = term.answer("The requester repeats the same demand every week.", "[q]uit")
        assert "S14(1) Vexatious" in screen
        screen = " ".join(term.answer("a", "Press Enter to keep it").split())
        assert "Freedom of Information (Scotland) Act 2002" in screen
        screen = term.answer("", "EXITED")
        assert "Traceback" not in screen
    finally:
        term.close()
    letter = " ".join(notice.read_text(encoding="utf-8").split())
    assert "Scottish Information Commissioner" in letter and "Court of Session" in letter

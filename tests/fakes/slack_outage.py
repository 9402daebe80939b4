"""A fake Slack Web API that can be down: HTTP 503 (an HTML error page, as Slack's edge sends) while `down()`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.fakes.slack_api import Call, FakeSlackApi


class OutageSlackApi(FakeSlackApi):
    """Answers every Web API call with 503 while `down()` is true (decided by the test's own clock)."""

    def __init__(self, *, down: Callable[[], bool], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.down = down
        self.refused: list[Call] = []  # calls answered with 503 (calls() lists only those Slack took)

    def _record(self, call: Call) -> tuple[int, dict[str, str], Any]:
        if self.down():
            with self._changed:
                self.refused.append(call)
            return 503, {}, "<html><body>503 Service Unavailable</body></html>"
        return super()._record(call)

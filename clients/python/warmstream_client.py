"""A small client for the warmstream scorer, standard library only (Python 3.8+).

    from warmstream_client import WarmClient
    client = WarmClient("http://localhost:8082", api_key="...")   # or WARM_API_KEY in the environment
    scorer = client.pin()                                          # the serving version, for a whole rollout batch
    rewards = scorer.rewards(prompts, responses, normalize=True).rewards
    for event in client.events():                                  # model updates, resumed after a disconnect
        print(event.type, event.id, event.data["version"])

Every scoring answer names the version that produced it. Errors raise WarmError with the scorer's JSON error code,
message and field. 429 and 503 answers are retried after their Retry-After (``retries`` times); a refused connection
is retried once.
"""

import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Sequence

__all__ = ["WarmClient", "PinnedScorer", "Rewards", "ModelEvent", "WarmError"]


class WarmError(Exception):
    """An error answer of the scorer: HTTP status, error code, message and the field it names (if any)."""

    def __init__(self, status: int, error: str, message: str, field_name: Optional[str] = None,
                 body: Optional[Dict[str, Any]] = None):
        super().__init__("%d %s: %s" % (status, error, message))
        self.status = status
        self.error = error
        self.message = message
        self.field = field_name
        self.body = body or {}


@dataclass
class Rewards:
    """One scoring answer. ``rewards`` are normalised when asked for; ``raw_rewards`` then holds the raw ones."""

    version: int
    rewards: List[float]
    raw_rewards: Optional[List[float]] = None
    std: Optional[List[float]] = None
    conservative: Optional[List[float]] = None
    scale: Optional[Dict[str, Any]] = None
    body: Dict[str, Any] = field(default_factory=dict)


@dataclass
class ModelEvent:
    """One record of warm.models: type is published, withheld, deleted or gap; id resumes the stream."""

    id: Optional[str]
    type: str
    data: Dict[str, Any]


class WarmClient:
    def __init__(self, url: str, api_key: Optional[str] = None, timeout: float = 60.0, retries: int = 3):
        self.url = url.rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("WARM_API_KEY")
        self.timeout = timeout
        self.retries = retries

    # -- scoring -------------------------------------------------------------------------------------------------

    def rewards(self, prompts: Sequence[str], responses: Sequence[str], version: Any = None, normalize: bool = False,
                uncertainty: bool = False, lam: Optional[float] = None, mode: Optional[str] = None) -> Rewards:
        """Rewards of (prompt, response) pairs, all from one version (``version``: N, "latest" or None)."""
        if len(prompts) != len(responses):
            raise ValueError("prompts and responses differ in length: %d vs %d" % (len(prompts), len(responses)))
        body: Dict[str, Any] = {"items": [{"prompt": p, "response": r} for p, r in zip(prompts, responses)]}
        body.update(_options(version, normalize, uncertainty, lam, mode))
        return _rewards(self._post("/v1/rewards", body))

    def compare(self, prompt: str, a: str, b: str, version: Any = None, normalize: bool = False) -> Dict[str, Any]:
        """P(a preferred over b) = sigmoid(r_a - r_b), with both rewards and the version."""
        body: Dict[str, Any] = {"prompt": prompt, "a": a, "b": b}
        body.update(_options(version, normalize, False, None, None))
        return self._post("/v1/compare", body)

    def pin(self, version: Optional[int] = None) -> "PinnedScorer":
        """A scorer bound to ``version``, by default the one serving now: use one per rollout batch."""
        if version is None:
            version = int(self.current()["version"])
        return PinnedScorer(self, version)

    # -- models --------------------------------------------------------------------------------------------------

    def current(self) -> Dict[str, Any]:
        return self._request("GET", "/v1/models/current", None)

    def models(self) -> Dict[str, Any]:
        return self._request("GET", "/v1/models", None)

    def events(self, last_event_id: Optional[str] = None, reconnect: bool = True,
               read_timeout: float = 60.0) -> Iterator[ModelEvent]:
        """Model-update events from GET /v1/models/events; after a dropped connection, resumes after the last id."""
        last = last_event_id
        while True:
            headers = {"Accept": "text/event-stream"}
            if last is not None:
                headers["Last-Event-ID"] = str(last)
            try:
                with self._open("GET", "/v1/models/events", None, headers, read_timeout) as stream:
                    for event in _parse_sse(stream):
                        if event.id is not None:
                            last = event.id
                        yield event
            except urllib.error.HTTPError as e:
                raise _error(e) from None
            except OSError:  # refused, reset or silent past read_timeout (URLError and timeouts are OSErrors)
                if not reconnect:
                    raise
            if not reconnect:
                return
            time.sleep(1.0)

    # -- HTTP ----------------------------------------------------------------------------------------------------

    def _post(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return self._request("POST", path, body)

    def _request(self, method: str, path: str, body: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        refused_once = False
        for attempt in range(self.retries + 1):
            try:
                with self._open(method, path, body, {"Accept": "application/json"}, self.timeout) as reply:
                    return json.loads(reply.read().decode("utf-8"))
            except urllib.error.HTTPError as e:
                error = _error(e)
                if e.code in (429, 503) and attempt < self.retries:
                    time.sleep(_retry_after(e))
                    continue
                raise error from None
            except urllib.error.URLError as e:
                if isinstance(e.reason, ConnectionRefusedError) and not refused_once:
                    refused_once = True
                    time.sleep(1.0)
                    continue
                raise
        raise AssertionError("unreachable")

    def _open(self, method: str, path: str, body: Optional[Dict[str, Any]], headers: Dict[str, str], timeout: float):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=dict(headers))
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.api_key:
            request.add_header("Authorization", "Bearer " + self.api_key)
        return urllib.request.urlopen(request, timeout=timeout)


class PinnedScorer:
    """Scores with one version only, so a rollout batch sees one reward function on one scale."""

    def __init__(self, client: WarmClient, version: int):
        self.client = client
        self.version = version

    def rewards(self, prompts: Sequence[str], responses: Sequence[str], normalize: bool = False,
                uncertainty: bool = False, lam: Optional[float] = None) -> Rewards:
        return self.client.rewards(prompts, responses, version=self.version, normalize=normalize,
                                   uncertainty=uncertainty, lam=lam)

    def compare(self, prompt: str, a: str, b: str) -> Dict[str, Any]:
        return self.client.compare(prompt, a, b, version=self.version)


def _options(version: Any, normalize: bool, uncertainty: bool, lam: Optional[float], mode: Optional[str]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    if version is not None:
        out["version"] = version
    if normalize:
        out["normalize"] = True
    if uncertainty:
        out["uncertainty"] = True
    if lam is not None:
        out["lambda"] = lam
    if mode is not None:
        out["mode"] = mode
    return out


def _rewards(body: Dict[str, Any]) -> Rewards:
    return Rewards(version=int(body["version"]), rewards=body["rewards"], raw_rewards=body.get("rawRewards"),
                   std=body.get("std"), conservative=body.get("conservative"), scale=body.get("scale"), body=body)


def _error(e: urllib.error.HTTPError) -> WarmError:
    text = e.read().decode("utf-8", "replace") if e.fp is not None else ""
    try:
        body = json.loads(text) if text else {}
    except ValueError:
        body = {"message": text}
    return WarmError(e.code, body.get("error", "http_%d" % e.code), body.get("message", e.reason or ""),
                     body.get("field"), body)


def _retry_after(e: urllib.error.HTTPError) -> float:
    try:
        return min(30.0, max(0.1, float(e.headers.get("Retry-After", "1"))))
    except ValueError:
        return 1.0


def _parse_sse(stream) -> Iterator[ModelEvent]:
    """Server-sent events as the HTML standard parses them; heartbeats and comments are skipped."""
    event_id, event_type, data = None, "message", []
    for raw in stream:
        line = raw.decode("utf-8").rstrip("\r\n")
        if not line:
            if data and event_type != "heartbeat":
                text = "\n".join(data)
                yield ModelEvent(event_id, event_type, json.loads(text) if text.strip() else {})
            event_type, data = "message", []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "id":
            event_id = value
        elif name == "event":
            event_type = value
        elif name == "data":
            data.append(value)

"""The client against a running scorer. The Java test that starts the scorer (scorer's PythonClientTest) passes:
WARM_SCORER_URL, and WARM_EXPECTED: a JSON file with the prompts, responses, each version's rewards computed
in Java from the model files, and v2's reward scale. Skips when WARM_SCORER_URL is unset."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from warmstream_client import WarmClient, WarmError  # noqa: E402

URL = os.environ.get("WARM_SCORER_URL")


@unittest.skipUnless(URL, "WARM_SCORER_URL is not set")
class ScorerTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.client = WarmClient(URL, timeout=30)
        with open(os.environ["WARM_EXPECTED"]) as f:
            cls.expected = json.load(f)
        cls.prompts = cls.expected["prompts"]
        cls.responses = cls.expected["responses"]

    def assertCloseList(self, expected, actual, what):
        self.assertEqual(len(expected), len(actual), what)
        for e, a in zip(expected, actual):
            self.assertAlmostEqual(e, a, delta=1e-4, msg="%s: %s vs %s" % (what, expected, actual))

    def test_pin_defaults_to_the_serving_version(self):
        self.assertEqual(2, self.client.pin().version)
        self.assertEqual(2, int(self.client.current()["version"]))

    def test_a_pinned_version_scores_with_its_own_weights(self):
        one = self.client.pin(1).rewards(self.prompts, self.responses)
        two = self.client.pin(2).rewards(self.prompts, self.responses)
        self.assertEqual((1, 2), (one.version, two.version))
        self.assertCloseList(self.expected["rewards"]["1"], one.rewards, "v1")
        self.assertCloseList(self.expected["rewards"]["2"], two.rewards, "v2")

    def test_normalised_rewards_use_the_versions_scale(self):
        scale = self.expected["scale"]
        got = self.client.pin(2).rewards(self.prompts, self.responses, normalize=True)
        self.assertCloseList(self.expected["rewards"]["2"], got.raw_rewards, "raw")
        self.assertCloseList([(r - scale["mean"]) / scale["std"] for r in self.expected["rewards"]["2"]],
                             got.rewards, "normalised")
        self.assertAlmostEqual(scale["mean"], got.scale["mean"], delta=1e-9)

    def test_compare_is_the_sigmoid_of_the_reward_difference(self):
        got = self.client.compare(self.prompts[0], self.responses[0], self.responses[1], version=2)
        self.assertEqual(2, got["version"])
        import math
        r = got["rewards"]
        self.assertAlmostEqual(1 / (1 + math.exp(-(r[0] - r[1]))), got["pAOverB"], delta=1e-6)

    def test_errors_name_the_field(self):
        with self.assertRaises(WarmError) as caught:
            self.client._post("/v1/rewards", {"items": [{"prompt": "p", "response": "r"}], "verison": 1})
        self.assertEqual((400, "unknown_field", "verison"),
                         (caught.exception.status, caught.exception.error, caught.exception.field))
        with self.assertRaises(WarmError) as caught:
            self.client.pin(99).rewards(["p"], ["r"])
        self.assertEqual(404, caught.exception.status)
        self.assertEqual("version", caught.exception.field)

    def test_events_mirror_warm_models_and_resume_after_an_id(self):
        average = self.expected["average"]  # the broker may carry other averages' records too
        seen = []
        for event in self.client.events(reconnect=False, read_timeout=20):
            if event.data.get("average") == average:
                seen.append(event)
            if seen and event.type == "published" and event.data.get("version") == 2:
                break
        published = [e for e in seen if e.type == "published"]
        self.assertEqual([1, 2], [e.data["version"] for e in published])
        self.assertLess(int(published[0].id), int(published[1].id))
        resumed = next(e for e in self.client.events(last_event_id=published[0].id, reconnect=False, read_timeout=20)
                       if e.data.get("average") == average)
        self.assertEqual((published[1].id, 2), (resumed.id, resumed.data["version"]))


if __name__ == "__main__":
    unittest.main()

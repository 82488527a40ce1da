"""RevisitIndex stays bounded and forgets its oldest entries first."""

from __future__ import annotations

from copyhound.crawler.warc.revisits import Original, RevisitIndex


def _orig(i: int) -> Original:
    return Original(f"f{i}.warc.gz", i, f"<urn:{i}>")


def test_the_index_is_bounded_and_forgets_the_oldest_first() -> None:
    index = RevisitIndex(max_entries=6)  # two responses of three keys each
    for i in range(3):
        index.add(_orig(i), uri=f"http://a.test/{i}", date="2024-01-01T00:00:00Z", digest=f"sha1:{i}")
    assert len(index) == 6
    assert index.find(uri="http://a.test/0", date="2024-01-01T00:00:00Z", digest="sha1:0") is None
    assert index.find(uri="http://a.test/2", date="2024-01-01T00:00:00Z", digest=None) == _orig(2)
    assert index.find(uri=None, date=None, digest="sha1:1") == _orig(1)


def test_a_key_added_again_is_the_newest_and_holds_the_latest_original() -> None:
    index = RevisitIndex(max_entries=3)
    index.add(_orig(0), uri="http://a.test/x", date="d0", digest=None)  # uri-d0, latest-x
    index.add(_orig(1), uri="http://a.test/y", date="d1", digest=None)  # evicts uri-d0; latest-y
    index.add(_orig(2), uri="http://a.test/x", date="d2", digest=None)  # x's keys are re-added: the newest
    assert index.find(uri="http://a.test/x", date=None, digest=None) == _orig(2)
    assert index.find(uri="http://a.test/x", date="d2", digest=None) == _orig(2)
    assert len(index) == 3


def test_no_room_keeps_nothing() -> None:
    index = RevisitIndex(max_entries=0)
    index.add(_orig(0), uri="http://a.test/x", date="d0", digest="sha1:0")
    assert len(index) == 0 and index.find(uri=None, date=None, digest="sha1:0") is None

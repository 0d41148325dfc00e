"""The transparency log, checked against material written independently of this code.

- RFC 6962 tree hashes: the reference leaves and roots of the Certificate Transparency test
  suite (also in transparency-dev/merkle ``testonly/constants.go``).
- RFC 9162 section 2.1.5: the seven-leaf example tree and the inclusion and consistency proofs
  the RFC spells out node by node.
- c2sp.org/signed-note: the specification's example verifier key and note, and the example of
  Go's ``golang.org/x/mod/sumdb/note`` (Ed25519 is deterministic: signing must reproduce it).
- c2sp.org/tlog-checkpoint and tlog-tiles: the example checkpoint, the tile path encoding and
  the specification's count of tiles for a tree of 70,000 entries.

The tampering cases run the CLI as a process, as a person with a receipt would.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from discloser.release import note, tlog
from discloser.release.tlog import leaf_hash, node_hash

# ------------------------------------------------------------------- RFC 6962 reference vectors

LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
LEAF_HASHES = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
]
TREE = tlog.Tree(LEAVES)


def test_leaf_hashes_and_every_root_match_the_reference() -> None:
    assert [leaf_hash(d).hex() for d in LEAVES] == LEAF_HASHES
    assert [TREE.root(n).hex() for n in range(9)] == ROOTS
    assert tlog.EMPTY_ROOT.hex() == ROOTS[0]


def test_a_tree_built_leaf_by_leaf_gives_the_same_roots() -> None:
    for n in range(9):
        assert tlog.Tree(LEAVES[:n]).root().hex() == ROOTS[n]


# ------------------------------------------------------------------- RFC 9162 section 2.1.5

# The RFC's seven-leaf tree: a..f, j are leaf hashes of d0..d6; g..i, k, l the inner nodes.
D = LEAVES[:7]
a, b, c, d, e, f, j = (leaf_hash(x) for x in D)
g, h, i = node_hash(a, b), node_hash(c, d), node_hash(e, f)
k, l_ = node_hash(g, h), node_hash(i, j)
SEVEN = tlog.Tree(D)


def test_the_rfc_example_tree_has_the_root_the_rfc_draws() -> None:
    assert SEVEN.root() == node_hash(k, l_)
    assert SEVEN.root().hex() == ROOTS[7]
    assert SEVEN.root(3) == node_hash(g, c)  # hash0 in the RFC
    assert SEVEN.root(4) == k  # hash1
    assert SEVEN.root(6) == node_hash(k, i)  # hash2


@pytest.mark.parametrize(
    ("index", "path"),
    [(0, [b, h, l_]), (3, [c, g, l_]), (4, [f, j, k]), (6, [i, k])],
    ids=["d0", "d3", "d4", "d6"],
)
def test_inclusion_proofs_of_the_rfc_example(index: int, path: list[bytes]) -> None:
    assert SEVEN.inclusion(index) == path
    tlog.verify_inclusion(index, 7, leaf_hash(D[index]), path, SEVEN.root())


@pytest.mark.parametrize(
    ("old", "path"),
    [(3, [c, d, g, l_]), (4, [l_]), (6, [i, j, k])],
    ids=["hash0", "hash1", "hash2"],
)
def test_consistency_proofs_of_the_rfc_example(old: int, path: list[bytes]) -> None:
    assert SEVEN.consistency(old) == path
    tlog.verify_consistency(old, 7, path, SEVEN.root(old), SEVEN.root())


def test_the_reference_consistency_proof_from_six_to_eight() -> None:
    expected = [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
    assert [x.hex() for x in TREE.consistency(6, 8)] == expected
    proof = [bytes.fromhex(x) for x in expected]
    tlog.verify_consistency(6, 8, proof, bytes.fromhex(ROOTS[6]), bytes.fromhex(ROOTS[8]))
    with pytest.raises(tlog.ProofError):
        tlog.verify_consistency(6, 8, proof, bytes.fromhex(ROOTS[5]), bytes.fromhex(ROOTS[8]))


def test_proofs_that_do_not_hold_are_refused() -> None:
    root, leaf = SEVEN.root(), leaf_hash(D[3])
    path = SEVEN.inclusion(3)
    bad = [
        (4, 7, leaf, path, root),  # another index
        (3, 4, leaf, path, root),  # a smaller tree: the path is too long
        (3, 7, leaf_hash(b"not d3"), path, root),  # a leaf not in the tree
        (3, 7, leaf, path[:-1], root),  # truncated
        (3, 7, leaf, [*path, k], root),  # extended
        (3, 7, leaf, path, SEVEN.root(6)),  # another root
        (7, 7, leaf, path, root),  # outside the tree
    ]
    for case in bad:
        with pytest.raises(tlog.ProofError):
            tlog.verify_inclusion(*case)
    consistency = SEVEN.consistency(3)
    for old, new, proof, r0, r1 in [
        (3, 7, consistency, SEVEN.root(2), root),
        (3, 7, consistency[:-1], SEVEN.root(3), root),
        (3, 7, [*consistency, a], SEVEN.root(3), root),
        (7, 3, consistency, root, SEVEN.root(3)),
        (7, 7, [], root, SEVEN.root(6)),
    ]:
        with pytest.raises(tlog.ProofError):
            tlog.verify_consistency(old, new, proof, r0, r1)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 70), st.data())
def test_every_proof_verifies_and_any_changed_hash_breaks_it(size: int, data: Any) -> None:
    tree = tlog.Tree([str(n).encode() for n in range(size)])
    index = data.draw(st.integers(0, size - 1))
    path = tree.inclusion(index)
    tlog.verify_inclusion(index, size, leaf_hash(str(index).encode()), path, tree.root())
    old = data.draw(st.integers(0, size))
    proof = tree.consistency(old)
    tlog.verify_consistency(old, size, proof, tree.root(old), tree.root())
    if path:
        spot = data.draw(st.integers(0, len(path) - 1))
        bent = [*path[:spot], bytes(32), *path[spot + 1 :]]
        with pytest.raises(tlog.ProofError):
            tlog.verify_inclusion(index, size, leaf_hash(str(index).encode()), bent, tree.root())
    if proof:
        spot = data.draw(st.integers(0, len(proof) - 1))
        bent = [*proof[:spot], bytes(32), *proof[spot + 1 :]]
        with pytest.raises(tlog.ProofError):
            tlog.verify_consistency(old, size, bent, tree.root(old), tree.root())


# ------------------------------------------------------------------- tiles (c2sp.org/tlog-tiles)


def test_tile_paths_follow_the_specification() -> None:
    assert tlog.tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tlog.tile_path(0, 0, 7) == "tile/0/000.p/7"
    assert tlog.tile_path("entries", 5) == "tile/entries/005"
    assert tlog.tile_path(2, 1000, 1) == "tile/2/x001/000.p/1"


def test_the_specifications_tree_of_70000_entries() -> None:
    entries = [n.to_bytes(4, "big") for n in range(70_000)]
    tree = tlog.Tree(entries)
    files = tlog.tiles(tree, entries, 70_000)
    level0 = [p for p in files if p.startswith("tile/0/")]
    assert len([p for p in level0 if ".p/" not in p]) == 273
    assert [p for p in level0 if ".p/" in p] == ["tile/0/273.p/112"]
    assert sorted(p for p in files if p.startswith("tile/1/")) == ["tile/1/000", "tile/1/001.p/17"]
    assert [p for p in files if p.startswith("tile/2/")] == ["tile/2/000.p/1"]
    # An independent client: a level-1 hash is the MTH of the full level-0 tile below it.
    tile0 = files["tile/0/000"]
    hashes = [tile0[n : n + 32] for n in range(0, len(tile0), 32)]
    assert files["tile/1/000"][:32] == tlog.Tree.of_hashes(hashes).root()
    assert tlog.read_bundle(files["tile/entries/273.p/112"]) == entries[273 * 256 :]


def test_a_tree_of_256_is_a_full_tile_and_a_partial_one_above() -> None:
    entries = [bytes([n]) for n in range(256)]
    files = tlog.tiles(tlog.Tree(entries), entries, 256)
    assert sorted(files) == ["tile/0/000", "tile/1/000.p/1", "tile/entries/000"]
    assert files["tile/1/000.p/1"] == tlog.Tree(entries).root()


# ------------------------------------------------------------------- signed notes and keys

SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n"
    "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mF"
    "XmRKuwHjG1Yu72IneyaQM=\n"
)
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2"
    "pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_the_specifications_example_note_verifies() -> None:
    key = note.Verifier.parse(SPEC_VKEY)
    assert (key.name, f"{key.id:08x}") == ("example.com/foo", "530d903a")
    assert key.text() == SPEC_VKEY
    assert note.open_note(SPEC_NOTE, [key]).text == "This is an example message.\n"
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_note(SPEC_NOTE.replace("example message", "example massage"), [key])


def test_signing_reproduces_the_go_example_byte_for_byte() -> None:
    signer = note.Signer.parse(GO_SKEY)
    assert signer.text() == GO_SKEY
    assert signer.verifier.text() == GO_VKEY
    assert note.sign(GO_TEXT, [signer]) == GO_NOTE
    assert note.open_note(GO_NOTE, [note.Verifier.parse(GO_VKEY)]).text == GO_TEXT


def test_the_trust_rules_of_the_specification() -> None:
    spec, go = note.Verifier.parse(SPEC_VKEY), note.Verifier.parse(GO_VKEY)
    both = GO_NOTE + SPEC_NOTE.split("\n\n")[1]  # a second signature, by a key go trusts not
    with pytest.raises(note.NoteError):  # different text: the spec key's signature fails
        note.open_note(both, [spec])
    assert note.open_note(both, [go]).signed_by == [go]  # the unknown signature is ignored
    with pytest.raises(note.NoteError, match="not signed by a trusted key"):
        note.open_note(GO_NOTE, [spec])
    impostor = note.Verifier(go.name, go.id, spec.public)  # same name and id, other key
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_note(GO_NOTE, [impostor])


@pytest.mark.parametrize(
    "text",
    [
        GO_TEXT,  # no signatures
        GO_NOTE.replace("\n\n", "\n"),  # no blank line
        GO_NOTE.rstrip("\n"),  # no final newline
        GO_NOTE.replace("\u2014", "-"),  # not an em dash
        GO_NOTE.replace("cryptography", "crypto\tgraphy"),  # a control character
        GO_NOTE.replace("x08go", "x08go!"),  # not base64
    ],
)
def test_malformed_notes_are_refused(text: str) -> None:
    with pytest.raises(note.NoteError):
        note.open_note(text, [note.Verifier.parse(GO_VKEY)])


@pytest.mark.parametrize(
    "vkey",
    [
        GO_VKEY.replace("c74f20a3", "c74f20a4"),  # id of another key
        GO_VKEY.replace("+ARpc", "+AhPc"),  # not Ed25519
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # a space
        GO_VKEY[:-4],  # truncated
    ],
)
def test_malformed_verifier_keys_are_refused(vkey: str) -> None:
    with pytest.raises(note.NoteError):
        note.Verifier.parse(vkey)


def test_the_specifications_example_checkpoint_parses() -> None:
    text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    checkpoint = note.Checkpoint.parse(text)
    assert (checkpoint.origin, checkpoint.size) == ("example.com/behind-the-sofa", 20852163)
    assert checkpoint.text() == text
    for bad in (
        text.replace("20852163", "020852163"),
        text.replace("20852163\n", ""),
        text.replace("=\n", "\n"),
        text.rstrip("\n"),
    ):
        with pytest.raises(note.NoteError):
            note.Checkpoint.parse(bad)


def test_a_checkpoint_signed_by_another_name_is_not_the_logs() -> None:
    signer = note.Signer.generate("example.com/other")
    text = note.sign(note.Checkpoint("example.com/log", 0, tlog.EMPTY_ROOT).text(), [signer])
    with pytest.raises(note.NoteError, match="not signed by that log's key"):
        note.open_checkpoint(text, [signer.verifier])


# ------------------------------------------------------------------- the log, through the CLI

NAME = "photos.example.com/disclosures"


def _copy_declarations(folder: Path) -> Path:
    folder.mkdir()
    for path in sorted((ROOT / "declarations").glob("*.yaml")):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, Path]:
    """Declarations released into a signed log; the private key lives outside the folder."""
    folder = _copy_declarations(tmp_path / "declarations")
    key = tmp_path / "secrets" / "log.key"
    proc = run_cli("keygen", NAME, "--out", str(key), "--path", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(NAME + "+")
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    proc = run_cli("release", str(folder), env={"DISCLOSER_SIGNING_KEY": key.read_text()})
    assert proc.returncode == 0, proc.stderr
    assert "signed at size 7" in proc.stdout
    return folder, key


def _bump(folder: Path, feature: str = "ai-restyle") -> None:
    path = folder / f"{feature}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("revision: 3", "revision: 4").replace("retention: P1D", "retention: PT12H"),
        encoding="utf-8",
    )


def _save(path: Path, dest: Path) -> Path:
    dest.write_bytes(path.read_bytes())
    return dest


def test_a_release_without_the_key_of_a_signed_log_is_refused(signed: tuple[Path, Path]) -> None:
    folder, _ = signed
    _bump(folder)
    ledger = (folder / "discloser-ledger.jsonl").read_bytes()
    proc = run_cli("release", str(folder), env={"DISCLOSER_SIGNING_KEY": ""})
    assert proc.returncode == 2 and "this log is signed" in proc.stderr
    assert (folder / "discloser-ledger.jsonl").read_bytes() == ledger  # nothing half-written


def test_a_key_file_inside_the_repository_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    folder = _copy_declarations(repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    proc = run_cli("keygen", NAME, "--out", str(repo / "log.key"), "--path", str(folder))
    assert proc.returncode == 2 and "not ignored" in proc.stderr
    assert not (repo / "log.key").exists()
    outside = tmp_path / "log.key"
    assert run_cli("keygen", NAME, "--out", str(outside), "--path", str(folder)).returncode == 0
    tracked = _save(outside, repo / "committed.key")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "add", "committed.key"], check=True)
    subprocess.run([*git, "commit", "-qm", "oops"], check=True)
    proc = run_cli("release", str(folder), "--key", str(tracked))
    assert proc.returncode == 2 and "tracked by git" in proc.stderr
    assert not (folder / "discloser-ledger.jsonl").exists()
    assert run_cli("keygen", NAME, "--out", str(outside), "--path", str(folder)).returncode == 2


def test_verify_log_proves_growth_and_catches_a_rewrite_resigned(
    signed: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, key = signed
    saved = _save(folder / "discloser-checkpoint.txt", tmp_path / "saved-checkpoint")
    vkey = _save(folder / "discloser-log.vkey", tmp_path / "saved.vkey")
    _bump(folder)
    assert run_cli("release", str(folder), "--key", str(key)).returncode == 0
    proc = run_cli("verify-log", str(saved), "--path", str(folder), "--key", str(vkey))
    assert proc.returncode == 0, proc.stderr
    assert "7 -> 8 entries" in proc.stdout and "consistency proof of" in proc.stdout

    # The publisher rewrites history: edits entry 2, recomputes the chain, re-signs.
    rewritten = _rewrite(folder, key)
    assert run_cli("validate", str(folder)).returncode == 0  # the chain alone cannot tell
    proc = run_cli("verify-log", str(saved), "--path", str(folder), "--key", str(vkey))
    assert proc.returncode == 1
    old_root = note.Checkpoint.parse(saved.read_text().split("\n\n")[0] + "\n").root_b64
    assert "fork or rewrite" in proc.stderr and old_root in proc.stderr
    assert rewritten in proc.stderr  # the other root, at the same size


def _rewrite(folder: Path, key: Path) -> str:
    """Edit the second entry, rebuild the hash chain and re-sign: the root the log now has
    at size 7 (base64)."""
    from discloser.release import ledger as chain

    path = folder / "discloser-ledger.jsonl"
    docs = [json.loads(line) for line in path.read_text().splitlines()]
    docs[1]["material"]["retention"] = "P9999D"
    docs[1]["notice_hash"] = chain.material_hash(docs[1]["material"])
    prev, lines = chain.GENESIS, []
    for doc in docs:
        doc["prev"] = prev
        lines.append(chain.canonical_json(doc))
        prev = chain.line_hash(lines[-1])
    path.write_text("\n".join(lines) + "\n")
    tree = tlog.Tree([line.encode() for line in lines])
    signer = note.Signer.parse(key.read_text())
    head = note.Checkpoint(NAME, tree.size, tree.root())
    (folder / "discloser-checkpoint.txt").write_text(note.sign(head.text(), [signer]))
    return base64.b64encode(tree.root(7)).decode()


def test_release_refuses_a_ledger_that_does_not_extend_its_checkpoint(
    signed: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, key = signed
    path = folder / "discloser-ledger.jsonl"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n")  # truncated: the chain still holds
    proc = run_cli("release", str(folder), "--key", str(key))
    assert proc.returncode == 1 and "truncated" in proc.stderr
    assert len(path.read_text().splitlines()) == 6
    out = tmp_path / "out"
    proc = run_cli("render", str(folder), "--out", str(out))  # no proofs from a broken log
    assert proc.returncode == 1 and "truncated" in proc.stderr
    assert not out.exists()


def test_a_wrong_key_and_a_replayed_checkpoint_are_reported(
    signed: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, key = signed
    first = _save(folder / "discloser-checkpoint.txt", tmp_path / "first")
    first_ledger = (folder / "discloser-ledger.jsonl").read_bytes()
    _bump(folder)
    assert run_cli("release", str(folder), "--key", str(key)).returncode == 0
    later = _save(folder / "discloser-checkpoint.txt", tmp_path / "later")

    other = tmp_path / "other.vkey"
    other.write_text(note.Signer.generate(NAME).verifier.text() + "\n")
    proc = run_cli("verify-log", str(later), "--path", str(folder), "--key", str(other))
    assert proc.returncode == 1 and "not signed by a trusted key" in proc.stderr

    # The publisher serves the old checkpoint again, with the log cut back to it.
    _save(first, folder / "discloser-checkpoint.txt")
    (folder / "discloser-ledger.jsonl").write_bytes(first_ledger)
    proc = run_cli("verify-log", str(later), "--path", str(folder))
    assert proc.returncode == 1 and "replayed old checkpoint" in proc.stderr


# ------------------------------------------------------------------- receipts, end to end


def _receipt_from_prompt(prompt_json: Path, out: Path, **change: Any) -> Path:
    """The receipt the prompt writes on "decline": the notice's ``proof`` copied as is."""
    n = json.loads(prompt_json.read_text(encoding="utf-8"))
    receipt = {
        "v": 1,
        "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "feature": n["feature"],
        "revision": n["revision"],
        "notice_hash": n["notice_hash"],
        "proof": n.get("proof"),
        "locale": "en",
        "decision": "decline",
        "choices": {p["id"]: False for p in n["purposes"]},
        "at": "2026-11-28T20:00:00.000Z",
    } | change
    out.write_text(json.dumps(receipt), encoding="utf-8")
    return out


def test_release_render_receipt_verify_then_a_rewrite_is_a_fork(
    signed: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, key = signed
    vkey = _save(folder / "discloser-log.vkey", tmp_path / "saved.vkey")
    out = tmp_path / "out"
    assert run_cli("render", str(folder), "--out", str(out)).returncode == 0
    prompt = out / "ai-restyle" / "prompt.json"
    proof = json.loads(prompt.read_text())["proof"]
    assert set(proof) == {"checkpoint", "index", "entry", "inclusion"}
    assert proof["checkpoint"] == (folder / "discloser-checkpoint.txt").read_text()
    embed = (out / "ai-restyle" / "embed.html").read_text()
    assert '"inclusion":' in embed  # the inline notice data carries it too
    receipt = _receipt_from_prompt(prompt, tmp_path / "receipt.json")

    proc = run_cli("verify-receipt", str(receipt), "--path", str(folder), "--key", str(vkey))
    assert proc.returncode == 0, proc.stderr
    assert "entry 1 included" in proc.stdout and "extends it" in proc.stdout

    _bump(folder)  # the log grows
    assert run_cli("release", str(folder), "--key", str(key)).returncode == 0
    proc = run_cli("verify-receipt", str(receipt), "--path", str(folder), "--key", str(vkey))
    assert proc.returncode == 0 and "the log (8 entries) extends it" in proc.stdout

    rewritten = _rewrite(folder, key)
    proc = run_cli("verify-receipt", str(receipt), "--path", str(folder), "--key", str(vkey))
    assert proc.returncode == 1 and "fork or rewrite" in proc.stderr
    assert rewritten in proc.stderr
    signed_root = note.Checkpoint.parse(proof["checkpoint"].split("\n\n")[0] + "\n").root_b64
    assert signed_root in proc.stderr


def test_receipts_whose_proof_does_not_hold(signed: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _ = signed
    out = tmp_path / "out"
    assert run_cli("render", str(folder), "--out", str(out)).returncode == 0
    prompt = out / "ai-restyle" / "prompt.json"
    proof = json.loads(prompt.read_text())["proof"]
    other = json.loads((out / "lumen-prints" / "prompt.json").read_text())["proof"]
    cases = {
        # a notice not in the tree: the entry of another feature, or at another index
        "other-notice": ({"proof": other}, "not the notice of this receipt"),
        "other-index": ({"proof": proof | {"index": 2}}, "inclusion proof fails"),
        "bent-path": (
            {"proof": proof | {"inclusion": [base64.b64encode(bytes(32)).decode()] * 3}},
            "inclusion proof fails",
        ),
        "forged-signature": (
            {"proof": proof | {"checkpoint": proof["checkpoint"].replace("\n7\n", "\n6\n")}},
            "does not verify",
        ),
        "shape": ({"proof": {"checkpoint": 1}}, "proof must be"),
    }
    for name, (change, message) in cases.items():
        receipt = _receipt_from_prompt(prompt, tmp_path / f"{name}.json", **change)
        proc = run_cli("verify-receipt", str(receipt), "--path", str(folder))
        assert proc.returncode == 1, name
        assert message in proc.stderr, (name, proc.stderr)


def test_an_unsigned_log_gives_no_proof_and_says_so(tmp_path: Path) -> None:
    folder = _copy_declarations(tmp_path / "declarations")
    proc = run_cli("release", str(folder), env={"DISCLOSER_SIGNING_KEY": ""})
    assert proc.returncode == 0 and "none signed" in proc.stderr
    assert not (folder / "discloser-checkpoint.txt").exists()
    out = tmp_path / "out"
    assert run_cli("render", str(folder), "--out", str(out)).returncode == 0
    prompt = out / "ai-restyle" / "prompt.json"
    assert "proof" not in json.loads(prompt.read_text())
    receipt = _receipt_from_prompt(prompt, tmp_path / "receipt.json")
    proc = run_cli("verify-receipt", str(receipt), "--path", str(folder))
    assert proc.returncode == 0 and "no signed checkpoint in this receipt" in proc.stderr


def test_the_site_publishes_the_log_and_a_downloaded_copy_verifies(
    signed: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, _ = signed
    vkey = _save(folder / "discloser-log.vkey", tmp_path / "saved.vkey")
    site = tmp_path / "public"
    proc = run_cli("build", str(folder), "--out", str(site))
    assert proc.returncode == 0, proc.stderr
    downloads = site / "downloads"
    checkpoint = (downloads / "log" / "checkpoint").read_text()
    assert checkpoint == (folder / "discloser-checkpoint.txt").read_text()
    assert (downloads / "discloser-log.vkey").read_text() == vkey.read_text()
    readme = (downloads / "log" / "README.txt").read_text()
    assert vkey.read_text().strip() in readme and "discloser verify-log" in readme
    # A client of the tiles alone gets the entries and the signed root.
    entries = tlog.read_bundle((downloads / "log/tile/entries/000.p/7").read_bytes())
    assert entries == (folder / "discloser-ledger.jsonl").read_bytes().splitlines()
    tile = (downloads / "log/tile/0/000.p/7").read_bytes()
    assert [tile[n : n + 32] for n in range(0, 7 * 32, 32)] == [leaf_hash(e) for e in entries]
    head = note.open_checkpoint(checkpoint, note.read_verifiers(vkey.read_text(), "v"))
    assert tlog.Tree(entries).root() == head.root
    # The live prompt's data on the site carries the proof; a receipt checks against downloads/.
    prompt = downloads / "ai-restyle" / "prompt.json"
    receipt = _receipt_from_prompt(prompt, tmp_path / "receipt.json")
    proc = run_cli("verify-receipt", str(receipt), "--path", str(downloads), "--key", str(vkey))
    assert proc.returncode == 0, proc.stderr
    saved = _save(folder / "discloser-checkpoint.txt", tmp_path / "saved")
    proc = run_cli("verify-log", str(saved), "--path", str(downloads), "--key", str(vkey))
    assert proc.returncode == 0, proc.stderr
    page = (site / "en" / "verify.html").read_text(encoding="utf-8")
    assert "discloser verify-log" in page and "discloser verify-receipt" in page


def test_keygen_rotation_keeps_the_old_key(signed: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _ = signed
    saved = _save(folder / "discloser-checkpoint.txt", tmp_path / "saved")  # by the old key
    new = tmp_path / "new.key"
    proc = run_cli("keygen", NAME, "--out", str(new), "--path", str(folder))
    assert proc.returncode == 0, proc.stderr
    keys = note.read_verifiers((folder / "discloser-log.vkey").read_text(), "v")
    assert len(keys) == 2 and {k.name for k in keys} == {NAME}
    _bump(folder)
    assert run_cli("release", str(folder), "--key", str(new)).returncode == 0
    proc = run_cli("verify-log", str(saved), "--path", str(folder))
    assert proc.returncode == 0 and "7 -> 8 entries" in proc.stdout, proc.stderr
    missing = run_cli("verify-log", str(tmp_path / "nothing"), "--path", str(folder))
    assert missing.returncode == 2
    proc = run_cli(
        "keygen", "other.example/log", "--out", str(tmp_path / "x"), "--path", str(folder)
    )
    assert proc.returncode == 2 and "keeps that name" in proc.stderr


def test_the_prompt_in_a_browser_keeps_the_proof_in_its_receipt(
    signed: tuple[Path, Path], tmp_path: Path, browser: Any
) -> None:
    from conftest import Server

    folder, _ = signed
    out = tmp_path / "out"
    assert run_cli("render", str(folder), "--out", str(out)).returncode == 0
    proof = json.loads((out / "ai-restyle" / "prompt.json").read_text())["proof"]
    server = Server(out, prefix="/app/")
    try:
        page = browser.new_context().new_page()
        page.goto(server.base + "ai-restyle/demo.en.html")
        page.locator("dialog.dsc-prompt[open]").get_by_role("button", name="Accept").click()
        stored = page.evaluate("localStorage.getItem('discloser:consent:ai-restyle')")
        page.reload()  # a receipt with a proof still counts as consent: no prompt again
        page.wait_for_selector("discloser-consent .dsc-prompt-bar")
        assert page.locator("dialog.dsc-prompt[open]").count() == 0
    finally:
        server.close()
    receipt = json.loads(stored)
    assert receipt["proof"] == proof
    path = tmp_path / "receipt.json"
    path.write_text(stored, encoding="utf-8")
    proc = run_cli("verify-receipt", str(path), "--path", str(folder))
    assert proc.returncode == 0 and "entry 1 included" in proc.stdout, proc.stderr

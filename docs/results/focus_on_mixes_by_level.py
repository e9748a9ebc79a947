#!/usr/bin/python3
"""Which pseudo-mix queries fail, and why: acc@1 split by how buried the query's part is, and how
often a miss lands on a song whose part uses the same instrument sound (GM program).

    /usr/bin/python3 docs/results/focus_on_mixes_by_level.py OUT/focus_on_mixes.json CORPUS [--split-db -9]

OUT/focus_on_mixes.json is written by `stemscope-cli evaluate-mix --out OUT` (its per_query lists);
CORPUS is the corpus it ran on (each song's meta.json gives the programs). Prints a markdown table.
"""
import argparse
import json
import os
import statistics


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("corpus")
    ap.add_argument("--split-db", type=float, default=-9.0)
    a = ap.parse_args()
    r = json.load(open(a.report))
    tags = {}
    for s in r["songs"]:
        meta = os.path.join(a.corpus, s, "meta.json")
        tags[s] = json.load(open(meta)).get("tags", {}) if os.path.exists(meta) else {}
    songs = r["songs"]
    cut = a.split_db
    print(f"| focus | pipeline | acc@1 | part >= {cut:g} dB: found / n | part < {cut:g} dB: found / n "
          "| median part level, found / missed (dB) | misses whose nearest has the same program or kit (any two songs) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in r["rows"]:
        f, pq = row["focus"], row["per_query"]
        key = "drumKit" if f == "drums" else f + "Program"
        level = [q for q in pq if q["query_part_db"] is not None]
        hi = [q for q in level if q["query_part_db"] >= cut]
        lo = [q for q in level if q["query_part_db"] < cut]
        found = [q["query_part_db"] for q in level if q["rank"] == 1]
        missed_q = [q for q in pq if q["rank"] > 1]
        missed = [q["query_part_db"] for q in missed_q if q["query_part_db"] is not None]
        med = lambda v: f"{statistics.median(v):.1f}" if v else "-"
        same = sum(1 for q in missed_q if q["nearest"] and tags[q["song"]].get(key) is not None
                   and tags[q["song"]].get(key) == tags[q["nearest"]].get(key))
        pairs = [(x, y) for x in songs for y in songs if x != y and tags[x].get(key) is not None]
        base = sum(tags[x].get(key) == tags[y].get(key) for x, y in pairs) / len(pairs) if pairs else float("nan")
        print(f"| {f} | {row['pipeline']} | {row['acc1']:.2f} | {sum(q['rank'] == 1 for q in hi)} / {len(hi)} "
              f"| {sum(q['rank'] == 1 for q in lo)} / {len(lo)} | {med(found)} / {med(missed)} "
              f"| {same} / {len(missed_q)} ({base:.2f}) |")


if __name__ == "__main__":
    main()

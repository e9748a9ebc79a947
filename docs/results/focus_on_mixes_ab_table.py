#!/usr/bin/python3
"""An A/B of two train-mix runs on the same validation songs, step by step.

    /usr/bin/python3 docs/results/focus_on_mixes_ab_table.py TREATMENT.csv CONTROL.csv [piano,guitar] [SONGS]

Reads two learning_curve.csv files (train-mix --validate) and prints, for every step both runs
validated, acc@1 / distractor@1 per focus side by side, then the treatment's mean lead in songs
(acc@1 difference x SONGS, default 48) over those steps: the number the decision rules in
docs/results/focus-on-mixes.md read ("a clear lead: more than 2 songs, at several checkpoints").
"""
import csv
import sys


def read(path):
    with open(path, newline="") as f:
        return {int(r["step"]): r for r in csv.DictReader(f)}


def cell(row, focus):
    a, d = row.get(f"val_acc1_{focus}", ""), row.get(f"val_distractor1_{focus}", "")
    if not a:
        return None, "-"
    return float(a), f"{float(a):.2f} / {float(d):.2f}"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    treat, ctrl = read(sys.argv[1]), read(sys.argv[2])
    focuses = (sys.argv[3] if len(sys.argv) > 3 else "piano,guitar").split(",")
    songs = int(sys.argv[4]) if len(sys.argv) > 4 else 48
    steps = sorted(s for s in treat if s in ctrl)
    head = ["step"] + [f"{f}: {w}" for f in focuses for w in ("control", "treatment")]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    leads = {f: [] for f in focuses}
    for s in steps:
        cells = [str(s)]
        for f in focuses:
            ca, ct = cell(ctrl[s], f)
            ta, tt = cell(treat[s], f)
            cells += [ct, tt]
            if ca is not None and ta is not None:
                leads[f].append((ta - ca) * songs)
        print("| " + " | ".join(cells) + " |")
    print()
    for f in focuses:
        l = leads[f]
        if l:
            ahead = sum(1 for x in l if x > 2)
            behind = sum(1 for x in l if x < -2)
            print(f"{f}: treatment leads by {sum(l) / len(l):+.1f} songs of {songs} on average over {len(l)} checkpoints "
                  f"(ahead by more than 2 songs at {ahead}, behind by more than 2 at {behind}); last {l[-1]:+.0f}")


if __name__ == "__main__":
    main()

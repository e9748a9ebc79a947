#!/usr/bin/env bash
# Reproduces docs/results/focus-on-mixes.md: renders the corpora, trains the multi-focus mix model
# (models/mixfocus, resumable: run it again after a stop and it continues from train.ckpt), plots
# its learning curve and runs the pseudo-mix benchmark for every pipeline on the 20 test songs.
#   docs/results/reproduce-focus-on-mixes.sh [CLI] [CORPUS_ROOT]
# Training never sees the test split: train/ (180 songs) and separation/ (songs 16-159 of the
# separation split) train, sepval/ (separation songs 0-15) validates, test/ is only measured.
set -euo pipefail
CLI=${1:-build/app/stemscope-cli}
C=${2:-/work/corpus}
"$CLI" corpus render --split test --out "$C/test" --jobs 2
"$CLI" corpus render --split train --out "$C/train" --jobs 2
"$CLI" corpus render --split separation --songs 160 --out "$C/separation" --jobs 2
mkdir -p "$C/sepval"
for i in $(seq -f %04g 0 15); do
  [ -d "$C/separation/separation-$i" ] && mv "$C/separation/separation-$i" "$C/sepval/"
done
# The shipped model: 14000 steps (cosine schedule over 14000), then continued to 20000 steps with
# the schedule stretched to 20000 (the second command resumes from the first one's checkpoint).
for steps in 14000 20000; do
  "$CLI" train-mix --corpus "$C/train,$C/separation" --out models/mixfocus --bank "$C/mixfocus.bank" \
    --steps $steps --checkpoint-every 250 --validate "$C/sepval" --validate-songs 16 --validate-seconds 14 --resume
done
mv models/mixfocus/learning_curve.csv models/mixfocus/learning_curve-324-songs.csv
/usr/bin/python3 docs/results/plot_focus_on_mixes_curve.py models/mixfocus/learning_curve-324-songs.csv \
  docs/results/focus-on-mixes/learning-curve.png
# More data: the rest of the separation split, then a fine-tune from the 20 000-step model
# (the shipped model stopped at step 7923 of 12 000; --resume continues it).
"$CLI" corpus render --split separation --first 160 --songs 840 --out "$C/separation" --jobs 2
cp models/mixfocus/model.pt "$C/mixfocus-20000.pt"
rm -f models/mixfocus/train.ckpt
"$CLI" train-mix --corpus "$C/train,$C/separation" --out models/mixfocus --bank "$C/mixfocus-all.bank" \
  --init "$C/mixfocus-20000.pt" --steps 12000 --lr 0.0005 --curriculum-db 6 --curriculum-fraction 0.05 \
  --checkpoint-every 250 --threads 1 --validate "$C/sepval" --validate-songs 16 --validate-seconds 14 --resume
/usr/bin/python3 docs/results/plot_focus_on_mixes_curve.py models/mixfocus/learning_curve.csv \
  docs/results/focus-on-mixes/learning-curve-1164-songs.png
# Which pipeline serves each focus (models/pipelines.json) is decided on the validation songs:
# per focus the higher acc@1, then the higher MRR, of separate-then-embed and the mix model.
mkdir -p build/focus-on-mixes
"$CLI" evaluate-mix --corpus "$C/sepval" --seconds 14 --models models --pipelines separated,mixfocus \
  --out build/focus-on-mixes/validation-choice
# The report's table (test split, every pipeline in one run) and the paper's Table 1 on clean stems.
"$CLI" evaluate-mix --corpus "$C/test" --models models --out docs/results/focus-on-mixes
"$CLI" evaluate --corpus "$C/test" --models models --out docs/results/focus-on-mixes/clean-stem-knn
rm -f docs/results/focus-on-mixes/clean-stem-knn/embeddings_*.csv   # 3 MB of vectors, not kept
# Analysis speed with the engine's default pipelines (docs/benchmarks/library.md).
"$CLI" bench library --embedder models --separator default --skip-index
# Session 25: how quiet a part each focus still hears (validation songs), and the quiet-part
# augmentation (6000 steps from the 1164-song model; not promoted: no measurable effect).
for db in 0 -6 -12; do
  "$CLI" evaluate-mix --corpus "$C/sepval" --seconds 14 --pipelines mixfocus,separated --models models --part-db "$db"
done
"$CLI" train-mix --corpus "$C/train,$C/separation" --out /work/cache/mixfocus-quiet --bank /work/cache/mixfocus-all.bank \
  --init models/mixfocus/model.pt --steps 6000 --lr 0.0005 --curriculum-db 6 --curriculum-fraction 0.05 \
  --checkpoint-every 500 --threads 1 --validate "$C/sepval" --validate-songs 16 --validate-seconds 14 \
  --validate-part-db -6 --quiet-part-prob 0.5 --quiet-part-db 12
# Sessions 26-28: the hybrid model (2-D front end + wide temporal stack) on all 1164 songs, validated
# on 48 songs no model trains on (val48 = sepval + valextra, songs 1000-1031), then chosen per focus.
"$CLI" corpus render --split separation --first 1000 --songs 32 --out "$C/valextra" --jobs 2
mkdir -p "$C/val48" && ln -sfn "$C"/sepval/* "$C"/valextra/* "$C/val48/"
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-all.bank" --out models/mixhybrid \
  --arch hybrid --channels 8,384,384,384 --steps 16000 --curriculum-fraction 0.25 --quiet-part-prob 0.25 \
  --quiet-part-db 12 --checkpoint-every 500 --threads 2 --validate "$C/val48" --validate-songs 48 \
  --validate-seconds 14 --resume
/usr/bin/python3 docs/results/plot_focus_on_mixes_curve.py models/mixhybrid/learning_curve.csv \
  docs/results/focus-on-mixes/learning-curve-hybrid.png 48 0.88,0.58,0.31,0.29
hyb=build/models-hybrid && rm -rf "$hyb" && mkdir -p "$hyb" && cp -rs "$PWD"/models/* "$hyb"/ && rm -rf "$hyb/mixfocus" \
  && ln -s "$PWD/models/mixhybrid" "$hyb/mixfocus"   # the mixfocus pipeline then runs the hybrid
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models "$hyb" --pipelines mixfocus
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models --pipelines mixfocus,separated
# (then models/pipelines.json: drums, bass, guitar -> mixhybrid; piano -> mixfocus; and the test
# table above, run again.)
# Session 29: the constant-Q piano/guitar specialist (its own CQT stem bank), then the choice on the
# 48 validation songs, then the test table and the clean-stem table again.
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out models/mixcqt \
  --features cqt --focuses piano,guitar --channels 384,384,384,384 --steps 10000 --curriculum-fraction 0.25 \
  --quiet-part-prob 0.25 --quiet-part-db 12 --checkpoint-every 1000 --threads 2 --validate "$C/val48" \
  --validate-songs 48 --validate-seconds 14 --resume
# Session 30: the same run continued to the end of a schedule stretched to 20 000 steps (resumes the
# step-10 000 checkpoint; the learning rate rises to about half its peak and decays again).
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out models/mixcqt \
  --features cqt --focuses piano,guitar --channels 384,384,384,384 --steps 20000 --curriculum-fraction 0.25 \
  --quiet-part-prob 0.25 --quiet-part-db 12 --checkpoint-every 1000 --threads 2 --validate "$C/val48" \
  --validate-songs 48 --validate-seconds 14 --resume
/usr/bin/python3 docs/results/plot_focus_on_mixes_curve.py models/mixcqt/learning_curve.csv \
  docs/results/focus-on-mixes/learning-curve-cqt.png 48 0.92,0.67,0.31,0.40
cqt=build/models-cqt && rm -rf "$cqt" && mkdir -p "$cqt" && cp -rs "$PWD"/models/* "$cqt"/ && rm -rf "$cqt/mixfocus" \
  && ln -s "$PWD/models/mixcqt" "$cqt/mixfocus"   # the mixfocus pipeline then runs the specialist
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models "$cqt" --pipelines mixfocus --focus piano,guitar
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models --pipelines default --focus piano,guitar  # run before pipelines.json changed
# (then models/pipelines.json: piano, guitar -> mixcqt)
"$CLI" evaluate-mix --corpus "$C/test" --models models --out docs/results/focus-on-mixes
"$CLI" evaluate --corpus "$C/test" --models models --out docs/results/focus-on-mixes/clean-stem-knn
# Session 31: which songs fail and why (validation songs; per-query ranks and part levels), with the
# oracle-mask ceilings; then the mask-loss A/B from the shipped specialist (control, treatment).
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models \
  --pipelines default,oracle-mask,oracle-binary-mask,clean --focus bass,piano,guitar --out build/diag-val48
/usr/bin/python3 docs/results/focus_on_mixes_by_level.py build/diag-val48/focus_on_mixes.json "$C/val48"
for arm in control:0 treatment:0.5; do
  "$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out "build/mask-${arm%%:*}" \
    --features cqt --focuses guitar --channels 384,384,384,384 --init models/mixcqt/model.pt --steps 3000 \
    --lr 0.0003 --curriculum-fraction 0 --quiet-part-prob 0.25 --quiet-part-db 12 --checkpoint-every 500 \
    --threads 1 --mask-loss "${arm#*:}" --validate "$C/val48" --validate-songs 48 --validate-seconds 14 --resume
done
# Session 32: the served mix model on the separated part, alone and joined with its view of the mix.
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models --pipelines default,separated:default,separated \
  --focus guitar,bass,piano,drums --out build/sep-mix-model
/usr/bin/python3 docs/results/focus_on_mixes_by_level.py build/sep-mix-model/focus_on_mixes.json "$C/val48"
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models --pipelines default+separated:default --focus guitar,bass,piano
# Session 32: the same embeddings under other scorings (centering, CSLS).
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models --pipelines default,mel-stats --embeddings build/emb-val48
/usr/bin/python3 docs/results/focus_on_mixes_scoring.py build/emb-val48 > docs/results/focus-on-mixes/scoring/validation.md
# Session 32: the solo teacher, treatment arm of the session-31 A/B (its control: build/mask-control).
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out build/solo-treatment \
  --features cqt --focuses guitar --channels 384,384,384,384 --init models/mixcqt/model.pt --steps 3000 \
  --lr 0.0003 --curriculum-fraction 0 --quiet-part-prob 0.25 --quiet-part-db 12 --checkpoint-every 500 \
  --threads 2 --solo-teacher 0.5 --validate "$C/val48" --validate-songs 48 --validate-seconds 14 --resume
# Sessions 30-32: bass on the constant-Q specialist (fresh bass block, same-timbre hard negatives),
# 15 000 steps over three sessions (--resume), then the final model against the served ones.
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out build/mixcqt-bass \
  --features cqt --focuses bass,piano,guitar --channels 384,384,384,384 --steps 15000 --lr 0.0005 \
  --init models/mixcqt/model.pt --fresh-blocks bass --curriculum-fraction 0.1 --quiet-part-prob 0.25 \
  --quiet-part-db 12 --same-timbre-negatives 0.5 --checkpoint-every 1000 --threads 2 \
  --validate "$C/val48" --validate-songs 48 --validate-seconds 14 --resume
/usr/bin/python3 docs/results/plot_focus_on_mixes_curve.py build/mixcqt-bass/learning_curve.csv \
  docs/results/focus-on-mixes/learning-curve-cqt-bass.png 48 0.92,0.67,0.60,0.67
cand=build/models-bass && rm -rf "$cand" && mkdir -p "$cand" && cp -rs "$PWD"/models/* "$cand"/ && rm -rf "$cand/mixfocus" \
  && mkdir "$cand/mixfocus" && cp build/mixcqt-bass/model.pt "$cand/mixfocus/"
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models "$cand" --pipelines default,mixfocus --focus bass,piano,guitar
# Session 33: two mix models joined (pipelines.json "a+b"). The comparison runs on a models root with
# session 32's map (bass on the hybrid alone); its "mixfocus" is the second view to join.
s32=build/models-s32 && rm -rf "$s32" && mkdir -p "$s32" && cp -rs "$PWD"/models/* "$s32"/ && rm "$s32/pipelines.json" \
  && sed 's/"mixhybrid+mixcqtbass"/"mixhybrid"/' models/pipelines.json > "$s32/pipelines.json"
for second in mixcqtbass mixfocus mixhybrid; do
  j=build/models-join-$second && rm -rf "$j" && cp -r "$s32" "$j" && rm -rf "$j/mixfocus" && ln -s "$PWD/models/$second" "$j/mixfocus"
  "$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models "$j" --pipelines default+mixfocus,mixfocus --focus bass,piano,guitar
done
# (mixcqtbass's piano and guitar blocks are the session-32 run's: that row is "+ the constant-Q bass run".)
# The engine's own joined path on validation, then the test table and the clean stems (Table 1), every row.
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models --pipelines default --focus bass
"$CLI" evaluate-mix --corpus "$C/test" --models models --out docs/results/focus-on-mixes
"$CLI" evaluate --corpus "$C/test" --models models --out docs/results/focus-on-mixes/clean-stem-knn
# Session 33: the harmonic-stack front end on the constant-Q input (piano and guitar), session 29's
# schedule; resumable (--resume) over sessions; its curve beside session 29's.
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out build/mixharm \
  --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar --steps 10000 \
  --curriculum-fraction 0.25 --quiet-part-prob 0.25 --quiet-part-db 12 --checkpoint-every 500 --threads 2 \
  --validate "$C/val48" --validate-songs 48 --validate-seconds 14 --resume
/usr/bin/python3 docs/results/plot_focus_on_mixes_curve.py build/mixharm/learning_curve.csv \
  docs/results/focus-on-mixes/learning-curve-harmonic.png 48 - models/mixcqt/learning_curve.csv
# Speed: the joined bass against session 32's map, with and without the listening separation pass.
for sep in default none; do
  STEMSCOPE_MODELS="$PWD/build/models-s32" "$CLI" bench library --embedder models --separator $sep --skip-index
  "$CLI" bench library --embedder models --separator $sep --skip-index
done
# Session 34: the harmonic run's checkpoints against the served specialist, alone and joined with it
# (a models root whose `mixfocus` is the candidate; piano and guitar on the 48 validation songs).
ROOT=build/cand-harm; rm -rf "$ROOT"; mkdir -p "$ROOT"
for m in models/*; do ln -s "$PWD/$m" "$ROOT/$(basename "$m")"; done
rm "$ROOT/mixfocus"; mkdir "$ROOT/mixfocus"; cp build/mixharm/model.pt "$ROOT/mixfocus/model.pt"
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models "$ROOT" --pipelines default,default+mixfocus,mixfocus \
  --focus guitar,piano
# Session 35: the harmonic run's second schedule (the learning rate rises again and decays to 0 at
# 20 000 steps, as the 1-D specialist's did); the same evaluation at each stage, and the per-song view.
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out build/mixharm \
  --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar --steps 20000 \
  --curriculum-fraction 0.25 --quiet-part-prob 0.25 --quiet-part-db 12 --checkpoint-every 500 --threads 2 \
  --validate "$C/val48" --validate-songs 48 --validate-seconds 14 --resume
cp build/mixharm/model.pt "$ROOT/mixfocus/model.pt"  # the candidate root of session 34, now this checkpoint
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models "$ROOT" --pipelines default,default+mixfocus,mixfocus \
  --focus guitar,piano --out build/eval-harm
/usr/bin/python3 docs/results/focus_on_mixes_by_level.py build/eval-harm/focus_on_mixes.json "$C/val48"
# Speed: the analysis and the stems for listening, timed as the two jobs they now are.
"$CLI" bench library --embedder models --separator default --skip-index
# Session 36: the harmonic run finished (step 20 000) and won piano and guitar on validation (the
# evaluation above, run on the final model): promote it, then the test table, Table 1 and the speed
# against the session-35 map (the old pipelines.json in a copy of models/).
mkdir -p models/mixharm && cp build/mixharm/{model.pt,model.train.json,learning_curve.csv,train.ckpt} models/mixharm/
mkdir -p build/models-s35 && for m in models/*; do ln -sfn "$PWD/$m" "build/models-s35/$(basename "$m")"; done
rm build/models-s35/pipelines.json && cp models/pipelines.json build/models-s35/pipelines.json
/usr/bin/python3 - <<'PY'
import json
d = json.load(open("models/pipelines.json"))
d["focus_models"].update(piano="mixharm", guitar="mixharm")
json.dump(d, open("models/pipelines.json", "w"), indent=2)
PY
"$CLI" evaluate-mix --corpus "$C/test" --models models --out docs/results/focus-on-mixes
"$CLI" evaluate --corpus "$C/test" --models models --out docs/results/focus-on-mixes/clean-stem-knn
for run in 1 2; do
  STEMSCOPE_MODELS="$PWD/build/models-s35" "$CLI" bench library --embedder models --separator default --skip-index
  "$CLI" bench library --embedder models --separator default --skip-index
done
# Session 36, last: a third schedule from the finished run (the rate rises to about 30 % of its peak and
# decays to 0 at 30 000 steps); stopped at step 21 751 (session 36) and 25 413 (session 38), resumed by
# the same command, finished in session 40 and promoted (it beat step 20 000 in the validation
# evaluation above: the candidate-root block below).
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out build/mixharm \
  --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar --steps 30000 \
  --curriculum-fraction 0.25 --quiet-part-prob 0.25 --quiet-part-db 12 --checkpoint-every 500 --threads 2 \
  --validate "$C/val48" --validate-songs 48 --validate-seconds 14 --resume
cp build/mixharm/model.pt "$ROOT/mixfocus/model.pt"
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models "$ROOT" --pipelines default,default+mixfocus,mixfocus \
  --focus guitar,piano --out build/eval-harm30
/usr/bin/python3 docs/results/focus_on_mixes_by_level.py build/eval-harm30/focus_on_mixes.json "$C/val48"
cp build/mixharm/{model.pt,model.train.json,learning_curve.csv,train.ckpt} models/mixharm/
"$CLI" evaluate-mix --corpus "$C/test" --models models --out docs/results/focus-on-mixes
/usr/bin/python3 docs/results/focus_on_mixes_by_level.py docs/results/focus-on-mixes/focus_on_mixes.json "$C/test"
"$CLI" evaluate --corpus "$C/test" --models models --out docs/results/focus-on-mixes/clean-stem-knn
for run in 1 2; do "$CLI" bench library --embedder models --separator default --skip-index; done
/usr/bin/python3 docs/results/plot_focus_on_mixes_curve.py docs/results/focus-on-mixes/harmonic-run/learning_curve.csv \
  docs/results/focus-on-mixes/learning-curve-harmonic.png 48 - models/mixcqt/learning_curve.csv
# Session 40, last: the same-program hard negatives as a fine-tune of the served model (6000 steps
# from models/mixharm at 30 % of the first schedule's rate); resumed by the same command. Served
# only if it beats models/mixharm in the candidate-root evaluation above (model.pt of build/mixharm-st).
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out build/mixharm-st \
  --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar --steps 6000 --lr 0.0003 \
  --init models/mixharm/model.pt --curriculum-fraction 0 --quiet-part-prob 0.25 --quiet-part-db 12 \
  --same-timbre-negatives 0.5 --checkpoint-every 500 --threads 2 \
  --validate "$C/val48" --validate-songs 48 --validate-seconds 14 --resume
# Session 41: that fine-tune finished level with the served model (not adopted). The same run with
# --keep-models leaves model-<step>.pt at every checkpoint; the candidates below went through the
# candidate-root evaluation (only the mixfocus pipeline each), then the joins of the served model.
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out build/mixharm-st \
  --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar --steps 6000 --lr 0.0003 \
  --init models/mixharm/model.pt --curriculum-fraction 0 --quiet-part-prob 0.25 --quiet-part-db 12 \
  --same-timbre-negatives 0.5 --checkpoint-every 500 --threads 2 \
  --validate "$C/val48" --validate-songs 48 --validate-seconds 14 --resume --keep-models
S=build/mixharm-st
"$CLI" model average $S/model-{4000,4500,5000,5500,6000}.pt --out build/cand-swa.pt
"$CLI" model average models/mixharm/model.pt $S/model.pt --out build/cand-soup.pt
for cand in models/mixharm/model.pt $S/model.pt build/cand-swa.pt build/cand-soup.pt; do
  cp "$cand" "$ROOT/mixfocus/model.pt"
  "$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models "$ROOT" --pipelines mixfocus --focus guitar,piano
done
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models \
  --pipelines default,separated:default,default+separated:default,default+separated,default+focus-on-mix --focus guitar,piano
/usr/bin/python3 docs/results/plot_focus_on_mixes_curve.py docs/results/focus-on-mixes/harmonic-st-run/learning_curve.csv \
  docs/results/focus-on-mixes/learning-curve-harmonic-st.png 48 0,0,0.75,0.77
# Session 41: the served models' embeddings under every scoring (with the segment-set ones added).
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models --pipelines default --focus drums,bass,piano,guitar \
  --embeddings build/emb-val48-s41
/usr/bin/python3 docs/results/focus_on_mixes_scoring.py build/emb-val48-s41 > docs/results/focus-on-mixes/scoring/validation-session41.md

# Session 42: the engine's hubness-corrected ranking (evaluate-mix's "engine ranking" column), decided
# on validation (k = 5; the scoring script's library-csls rows, also at --k 3 and 10), then the test
# split scored once with every pipeline (focus_on_mixes.{md,json} refreshed).
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models models --pipelines default \
  --out build/val48-s42 --embeddings build/emb-val48-s42
for k in 5 3 10; do
  /usr/bin/python3 docs/results/focus_on_mixes_scoring.py build/emb-val48-s42 --k $k > docs/results/focus-on-mixes/scoring/validation-session42-k$k.md
done
"$CLI" evaluate-mix --corpus "$C/test" --models models --out docs/results/focus-on-mixes

# Session 43: the served mix model on the band-split separator's parts (step 5250, written from its
# checkpoint by `separation train --resume --steps 5250`), through a models root whose separator is
# the candidate; the same command through `models` gives the shipped separator's rows.
"$CLI" evaluate-mix --corpus "$C/val48" --seconds 14 --models "$ROOT" \
  --pipelines default,separated:default,default+separated:default,separated --focus guitar,piano \
  --out build/val48-sep-bandsplit

# Session 44: the mask loss from scratch, A/B against models/mixharm's first 10 000-step schedule
# (its learning_curve.csv is the control); the same command as the run folder's run.sh (resumable).
"$CLI" train-mix --corpus "$C/train,$C/separation" --bank "$C/mixfocus-cqt.bank" --out /work/cache/mixharm-mask \
  --features cqt --arch harmonic --channels 8,384,384,384 --focuses piano,guitar --steps 10000 \
  --curriculum-fraction 0.25 --quiet-part-prob 0.25 --quiet-part-db 12 --mask-loss 0.5 --mask-layer 1 \
  --checkpoint-every 500 --threads 2 --validate "$C/val48" --validate-songs 48 --validate-seconds 14 --resume
/usr/bin/python3 docs/results/plot_focus_on_mixes_curve.py /work/cache/mixharm-mask/learning_curve.csv \
  docs/results/focus-on-mixes/harmonic-mask-run/learning-curve.png 48 - models/mixharm/learning_curve.csv

# Sessions 45-50 keep each run's commands in its own folder (run.sh, eval.sh, README.md). Session 50:
# the solo teacher's 448-query decision (focus-on-mixes/harmonic-solo-run/validation-448.md lists the
# commands), the unseen-soundfont check of the served pipelines, and the timbre-variety A/B.
docs/results/focus-on-mixes/unseen-soundfonts/render.sh "$CLI" "$C"   # needs csound-soundfont, opl3-soundfont
docs/results/focus-on-mixes/unseen-soundfonts/eval.sh "$CLI" "$C" build/unseen
"$CLI" corpus render --split separation --first 1432 --songs 400 --out "$C/more-opl3" \
  --soundfonts /usr/share/sounds/sf2/OPL-3_FM_128M.sf2
for arm in control treatment; do docs/results/focus-on-mixes/timbre-variety-ab/run.sh $arm & done; wait
for arm in control treatment; do docs/results/focus-on-mixes/timbre-variety-ab/eval.sh $arm; done
# Session 51: the timbre-warp arms of the same A/B (validation.md, "Timbre-warp A/B").
docs/results/focus-on-mixes/timbre-variety-ab/run.sh warp50 --timbre-prob 0.5 &
docs/results/focus-on-mixes/timbre-variety-ab/run.sh warp100 --timbre-prob 1.0 &
wait
for arm in warp50 warp100; do docs/results/focus-on-mixes/timbre-variety-ab/eval.sh $arm; done
# Session 52: real sound pairs (validation.md, "Real sound pairs A/B"): the training songs rendered
# again with the next training soundfont, then one arm of the same A/B.
"$CLI" corpus render --split train --soundfont-shift 1 --out /work/corpus/train-twin --jobs 2
"$CLI" corpus render --split separation --first 16 --songs 984 --soundfont-shift 1 --out /work/corpus/separation-twin --jobs 2
docs/results/focus-on-mixes/timbre-variety-ab/run.sh twins --twins /work/corpus/train-twin,/work/corpus/separation-twin \
  --twin-prob 0.5 --bank-threads 2
docs/results/focus-on-mixes/timbre-variety-ab/eval.sh twins

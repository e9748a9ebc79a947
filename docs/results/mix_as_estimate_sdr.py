"""Baseline for docs/results/separation.md: BSS Eval SDR (mir_eval) of the unprocessed mix taken as the
estimate of each source (first 20 s of each test song at 22050 Hz). usage: /usr/bin/python3 THIS"""
import numpy as np, torchaudio, torch, mir_eval, sys
srcs=['drums','bass','piano','guitar','other']
res={s:[] for s in srcs}
for i in range(0,20):
    d=f'/work/corpus/test/test-{i:04d}'
    refs=[]
    for s in srcs:
        w,sr=torchaudio.load(f'{d}/{s}.flac')
        w=torchaudio.functional.resample(w.mean(0),sr,22050)
        refs.append(w.numpy()[:22050*20].astype(np.float64))
    refs=np.stack(refs); mix=refs.sum(0)
    for j,s in enumerate(srcs):
        if np.sqrt(np.mean(refs[j]**2))<1e-3: continue
        sdr,_,_,_=mir_eval.separation.bss_eval_sources(refs[j:j+1], mix[None,:], compute_permutation=False)
        res[s].append(sdr[0])
for s in srcs: print(s, len(res[s]), 'median SDR of the mix as estimate: %.2f dB'%np.median(res[s]))

#!/usr/bin/python3
# Forward+backward throughput of the two embedding architectures (2-D CNN vs temporal 1-D CNN) on
# 2 threads, batch 192 of 129x64 log-mel segments. usage: /usr/bin/python3 docs/benchmarks/embedding_arch_bench.py
import torch, time, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(2)
print(torch.__version__, torch.backends.mkldnn.is_available())
class C2(nn.Module):
    def __init__(s, ch=(16,32,64,64)):
        super().__init__(); s.bn=nn.BatchNorm2d(1); L=[]; i=1
        for o in ch: L += [nn.Conv2d(i,o,3,padding=1,bias=False), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2)]; i=o
        s.f=nn.Sequential(*L); s.fc=nn.Linear(2*i,128)
    def forward(s,x):
        x=s.f(s.bn(x.unsqueeze(1)))
        return F.normalize(s.fc(torch.cat([x.mean((2,3)),x.amax((2,3))],1)),dim=1)
class C1(nn.Module):
    def __init__(s, bands=64, ch=(128,128,128,128)):
        super().__init__(); s.bn=nn.BatchNorm1d(bands); L=[]; i=bands
        for o in ch: L += [nn.Conv1d(i,o,3,padding=1,bias=False), nn.BatchNorm1d(o), nn.ReLU(), nn.MaxPool1d(2)]; i=o
        s.f=nn.Sequential(*L); s.fc=nn.Linear(2*i,128)
    def forward(s,x):
        x=s.f(s.bn(x.transpose(1,2)))
        return F.normalize(s.fc(torch.cat([x.mean(2),x.amax(2)],1)),dim=1)
def bench(m, name, cl=False, B=192):
    x=torch.randn(B,129,64); opt=torch.optim.Adam(m.parameters())
    if cl: m=m.to(memory_format=torch.channels_last)
    for i in range(4):
        if i==1: t=time.time()
        e=m(x); l=(e[:64]*e[64:128]).sum(); opt.zero_grad(); l.backward(); opt.step()
    dt=(time.time()-t)/3
    print(f"{name}: {dt*1000:.0f} ms per batch of {B} -> {B/dt:.0f} samples/s")
bench(C2(), "2d 16-32-64-64")
bench(C2(), "2d 16-32-64-64 channels_last", cl=True)
bench(C1(), "1d 128x4")
bench(C1(ch=(96,96,128,128)), "1d 96,96,128,128")

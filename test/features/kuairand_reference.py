#!/usr/bin/env python3
"""Independent reference numbers for test/features/kuairand-real.test.ts (plain Python, no project code).

Reads the KuaiRand-Pure files directly and applies the documented rules: window 2022-04-25..2022-05-01 as
calendar dates of time_ms in UTC+8 (Asia/Shanghai; with a third argument `date-column`, by the log's own `date`
column instead, as the data README's figures were made; the two differ by 58 rows near midnight, because the
`date` column lags time_ms by up to an hour); exact duplicate rows removed; length = duration_ms, else the video file's
video_duration, else unknown (no label); values rounded to float32 as Postgres `real` stores them; 60/10/30 train/validation/test split
by time (start + 0.6 x 7 days); equi-quantile:10 groups on the training part before the filters; WTG label
(timespent above the group mean); filters once on the whole window. Usage: kuairand_reference.py [wtg|p90] [date-column]
"""
import csv, gzip, struct, sys
from collections import Counter, defaultdict

D = '/work/shared/data/kuairand-pure/'
label = sys.argv[1] if len(sys.argv) > 1 else 'wtg'
by_column = len(sys.argv) > 2 and sys.argv[2] == 'date-column'
f32 = lambda x: struct.unpack('f', struct.pack('f', x))[0]

vid_len = {}
with gzip.open(D + 'video_features_basic_pure.csv.gz', 'rt') as f:
    for r in csv.DictReader(f):
        try:
            v = float(r['video_duration'])
            if v > 0:
                vid_len[r['video_id']] = v / 1000
        except ValueError:
            pass

seen = set()
rows = []  # (ts, user, item, length or None, timespent)
with gzip.open(D + 'kuairand_pure_log_standard_20220425_20220508.csv.gz', 'rt') as f:
    rd = csv.reader(f)
    h = next(rd)
    ix = {c: i for i, c in enumerate(h)}
    for r in rd:
        t = tuple(r)
        if t in seen:
            continue
        seen.add(t)
        start, end = 1650816000000, 1650816000000 + 7 * 86400000  # 2022-04-25T00:00+08:00 .. 2022-05-02T00:00+08:00
        if by_column and not ('20220425' <= r[ix['date']] <= '20220501'):
            continue
        if not by_column and not (start <= int(r[ix['time_ms']]) < end):
            continue
        dur = float(r[ix['duration_ms']]) / 1000
        length = dur if dur > 0 else vid_len.get(r[ix['video_id']])
        rows.append((int(r[ix['time_ms']]), r[ix['user_id']], r[ix['video_id']], f32(length) if length else None, f32(float(r[ix['play_time_ms']]) / 1000)))

start = 1650816000000  # 2022-04-25T00:00+08:00
split = start + round(0.6 * 7 * 86400000)
test_start = start + round(0.7 * 7 * 86400000)  # the default validation part: the next 10% of the window
labelled = [r for r in rows if r[3]]
train = [r for r in labelled if r[0] < split]
lens = sorted(r[3] for r in train)
n = len(lens)
edges = []
for j in range(1, 10):
    e = lens[(j * n) // 10]
    if e > lens[0] and (not edges or e > edges[-1]):
        edges.append(e)
def grp(l):
    return sum(1 for e in edges if e <= l)
acc = defaultdict(list)
for r in train:
    acc[grp(r[3])].append(r[4])
stats = {}
for g, v in acc.items():
    m = sum(v) / len(v)
    s = (sum((x - m) ** 2 for x in v) / len(v)) ** 0.5
    stats[g] = (m, s, len(v))
assert all(c >= 20 and s > 0 for (_, s, c) in stats.values()), 'no group needs merging here'
def y(r):
    if label == 'p90':
        return 1 if r[4] / r[3] >= 0.9 else 0
    m, s, _ = stats[grp(r[3])]
    return 1 if (r[4] - m) / s > 0 else 0
uv, up, iv = Counter(), Counter(), Counter()
for r in labelled:
    uv[r[1]] += 1; up[r[1]] += y(r); iv[r[2]] += 1
upass = {u for u in uv if 4 <= uv[u] <= 2000 and 0 < up[u] < uv[u]}
ipass = {i for i in iv if iv[i] >= 100}
kept = [r for r in labelled if r[1] in upass and r[2] in ipass]
pos = sum(y(r) for r in kept)
ktrain = [r for r in kept if r[0] < split]
kval = [r for r in kept if split <= r[0] < test_start]
days = Counter()
for r in kept:
    if r[0] >= test_start:
        days[(r[0] + 8 * 3600000) // 86400000] += 1
print(dict(rows_in_window=len(rows), rows_labelled=len(labelled), rows_no_length=len(rows) - len(labelled), train_part=len(train),
           edges=[round(e, 3) for e in edges], users_pass=len(upass), items_pass=len(ipass), rows_kept=len(kept), positives=len(kept) and pos,
           users_kept=len({r[1] for r in kept}), items_kept=len({r[2] for r in kept}), rows_train=len(ktrain), rows_validation=len(kval),
           rows_heldout=len(kept) - len(ktrain) - len(kval), train_positive=sum(y(r) for r in ktrain), per_day=[days[d] for d in sorted(days)]))

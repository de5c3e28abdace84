module memtriage.test/leakyd

go 1.19

// One deny-list key record per database (store/erasure.py).
CREATE CONSTRAINT erasure_key_name IF NOT EXISTS FOR (k:ErasureKey) REQUIRE k.name IS UNIQUE;

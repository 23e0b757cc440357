// Hubs an ingest stopped at (store/reconcile.py): the reconciler finds its marks by this index
// instead of scanning every identifier.
CREATE INDEX identifier_reconcile IF NOT EXISTS FOR (i:Identifier) ON (i.reconcile);

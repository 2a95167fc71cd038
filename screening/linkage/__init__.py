"""Person linkage: who in a notification is someone the service already knows (issue 12).

Pure, no I/O (only `models.contract`): `record` turns a contract person into a `PersonRecord`
with its blocking keys, `names` normalises names and folds nicknames, `weights` holds the
Fellegi-Sunter m/u table with the reason for each, `compare` scores a pair of records, and
`linker` picks the best known person over the threshold, online (candidates from a blocking
query) or in memory for a batch re-link. `history` turns what linkage found into findings.
"""

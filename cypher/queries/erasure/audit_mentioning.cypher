// Audit entries whose details or reason mention any of $texts (erased keys and values, also
// in their JSON-escaped form). Admin actions are few, so a scan is cheap.
MATCH (a:Audit)
WHERE any(t IN $texts WHERE a.details CONTAINS t OR a.reason CONTAINS t)
RETURN a.id AS id, a.details AS details, a.reason AS reason

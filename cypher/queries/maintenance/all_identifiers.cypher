MATCH (i:Identifier) RETURN collect(i.key) AS keys

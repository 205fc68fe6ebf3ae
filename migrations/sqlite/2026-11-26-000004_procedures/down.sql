DROP TABLE procedure_terms;
DROP TABLE procedures;

DROP TABLE dossier_files;

DROP TABLE agency_schedules;
DROP TABLE calendar_days;

DROP TABLE feedback_limits;
DROP TABLE feedback_history;
DROP TABLE feedback;
DROP TABLE surveys;

-- Every request's token check reads a person's open sessions (by user, cached for 30 s), and a
-- password change or an administrator ends them all: both look refresh tokens up by user.
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

// Portable column types only (Text, Bool, Timestamp, BigInt): the same schema serves SQLite and
// PostgreSQL through `DbConnection`. Keep in step with both folders under migrations/.

diesel::table! {
    agencies (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        level -> Text,
        parent_id -> Nullable<Text>,
        path -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        password_hash -> Text,
        full_name -> Text,
        role -> Text,
        agency_id -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    service_accounts (id) {
        id -> Text,
        client_id -> Text,
        name -> Text,
        secret_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    service_account_agencies (service_account_id, agency_id) {
        service_account_id -> Text,
        agency_id -> Text,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        family_id -> Text,
        user_id -> Text,
        token_hash -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(users -> agencies (agency_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(service_account_agencies -> service_accounts (service_account_id));
diesel::joinable!(service_account_agencies -> agencies (agency_id));

diesel::allow_tables_to_appear_in_same_query!(
    agencies,
    users,
    service_accounts,
    service_account_agencies,
    refresh_tokens,
);

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

diesel::table! {
    calendar_days (id) {
        id -> Text,
        agency_id -> Nullable<Text>,
        day -> Date,
        kind -> Text,
        name -> Text,
        source -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    agency_schedules (agency_id) {
        agency_id -> Text,
        week -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    procedures (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        field -> Text,
        field_folded -> Text,
        level -> Text,
        online_service -> Text,
        processing_value -> BigInt,
        processing_unit -> Text,
        fee -> BigInt,
        components -> Text,
        decision_number -> Nullable<Text>,
        signed_on -> Nullable<Date>,
        posted_on -> Nullable<Date>,
        agency_id -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    procedure_terms (term, procedure_id) {
        term -> Text,
        procedure_id -> Text,
    }
}

diesel::joinable!(users -> agencies (agency_id));
diesel::joinable!(procedures -> agencies (agency_id));
diesel::joinable!(procedure_terms -> procedures (procedure_id));
diesel::joinable!(calendar_days -> agencies (agency_id));
diesel::joinable!(agency_schedules -> agencies (agency_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(service_account_agencies -> service_accounts (service_account_id));
diesel::joinable!(service_account_agencies -> agencies (agency_id));

diesel::allow_tables_to_appear_in_same_query!(
    agencies,
    users,
    service_accounts,
    service_account_agencies,
    refresh_tokens,
    calendar_days,
    agency_schedules,
    procedures,
    procedure_terms,
);

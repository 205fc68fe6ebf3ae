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
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        language -> Text,
        notify -> Bool,
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
        personal_data -> Bool,
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
        requires_approval -> Bool,
        national_code -> Nullable<Text>,
        field_code -> Nullable<Text>,
    }
}

diesel::table! {
    procedure_terms (term, procedure_id) {
        term -> Text,
        procedure_id -> Text,
    }
}

diesel::table! {
    dossiers (id) {
        id -> Text,
        code -> Text,
        agency_id -> Text,
        procedure_id -> Text,
        channel -> Text,
        status -> Text,
        applicant_kind -> Text,
        applicant_name -> Text,
        applicant_name_folded -> Text,
        applicant_id_number -> Nullable<Text>,
        applicant_phone -> Nullable<Text>,
        applicant_email -> Nullable<Text>,
        applicant_address -> Nullable<Text>,
        owner_id -> Nullable<Text>,
        components -> Text,
        fee -> BigInt,
        payment_method -> Nullable<Text>,
        payment_amount -> Nullable<BigInt>,
        external_ref -> Nullable<Text>,
        submitted_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        first_response_at -> Nullable<Timestamp>,
        due_at -> Nullable<Timestamp>,
        appointment_at -> Nullable<Timestamp>,
        supplement_requested_at -> Nullable<Timestamp>,
        apologized_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        result_digitized -> Bool,
        reception_digitized -> Bool,
        returned_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        rejected_at -> Nullable<Timestamp>,
        received_by -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
        assignee_id -> Nullable<Text>,
        last_step_at -> Timestamp,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        resolved_by_agency_id -> Nullable<Text>,
        answer_due_at -> Nullable<Timestamp>,
        last_event_at -> Nullable<Timestamp>,
        applicant_notify -> Bool,
        proposal -> Nullable<Text>,
        holder_agency_id -> Nullable<Text>,
        result_delivery -> Text,
        appointment_before_supplement -> Nullable<Timestamp>,
        appointment_after_supplement -> Nullable<Timestamp>,
        chain_agencies -> Nullable<Text>,
        portal_synced_version -> Nullable<BigInt>,
    }
}

diesel::table! {
    dossier_hops (dossier_id, seq) {
        dossier_id -> Text,
        seq -> BigInt,
        from_agency_id -> Text,
        to_agency_id -> Text,
        sent_at -> Timestamp,
        sent_by -> Text,
        note -> Nullable<Text>,
        returned_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    dossier_history (id) {
        id -> Text,
        dossier_id -> Text,
        seq -> BigInt,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_id -> Nullable<Text>,
        actor_kind -> Text,
        at -> Timestamp,
        note -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    dossier_files (id) {
        id -> Text,
        dossier_id -> Text,
        kind -> Text,
        component -> Nullable<BigInt>,
        file_name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        object_key -> Text,
        uploaded_at -> Timestamp,
        uploaded_by -> Text,
    }
}

diesel::table! {
    outbox_events (id) {
        id -> BigInt,
        event_type -> Text,
        aggregate_type -> Text,
        aggregate_id -> Text,
        agency_id -> Text,
        occurred_at -> Timestamp,
        data -> Text,
        tx -> BigInt,
    }
}

diesel::table! {
    idempotency_keys (caller_id, key) {
        caller_id -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Integer,
        response -> Text,
        created_at -> Timestamp,
        headers -> Nullable<Text>,
    }
}

diesel::table! {
    surveys (id) {
        id -> Text,
        dossier_id -> Text,
        agency_id -> Text,
        level -> Text,
        comment -> Nullable<Text>,
        source -> Text,
        recorded_by -> Text,
        submitted_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    feedback (id) {
        id -> Text,
        agency_id -> Text,
        channel -> Text,
        subject -> Text,
        content -> Text,
        submitter_name -> Text,
        submitter_phone -> Nullable<Text>,
        submitter_email -> Nullable<Text>,
        submitter_address -> Nullable<Text>,
        owner_id -> Nullable<Text>,
        dossier_id -> Nullable<Text>,
        procedure_id -> Nullable<Text>,
        status -> Text,
        received_at -> Timestamp,
        due_at -> Timestamp,
        response -> Nullable<Text>,
        responded_at -> Nullable<Timestamp>,
        rejected_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        forwarded_from -> Nullable<Text>,
        last_step_at -> Timestamp,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        external_ref -> Nullable<Text>,
    }
}

diesel::table! {
    feedback_history (id) {
        id -> Text,
        feedback_id -> Text,
        seq -> BigInt,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_id -> Nullable<Text>,
        actor_kind -> Text,
        at -> Timestamp,
        note -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    feedback_limits (agency_id) {
        agency_id -> Text,
        working_days -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dossier_sequences (prefix, day) {
        prefix -> Text,
        day -> Text,
        last -> BigInt,
    }
}

diesel::table! {
    report_counts (grain, agency_id, bucket, procedure_id, responsible) {
        grain -> Text,
        agency_id -> Text,
        bucket -> Date,
        procedure_id -> Text,
        responsible -> Text,
        new_online -> BigInt,
        new_direct -> BigInt,
        new_postal -> BigInt,
        reception_digitized -> BigInt,
        payable -> BigInt,
        paid_online -> BigInt,
        resolved -> BigInt,
        early -> BigInt,
        on_time -> BigInt,
        late_apologized -> BigInt,
        result_digitized -> BigInt,
        withdrawn -> BigInt,
        online_submitted -> BigInt,
        answered_in_time -> BigInt,
        very_satisfied -> BigInt,
        satisfied -> BigInt,
        unsatisfied -> BigInt,
        reception_missing -> BigInt,
        result_missing -> BigInt,
        backlog -> BigInt,
        backlog_overdue -> BigInt,
        backlog_apologized -> BigInt,
        submitted -> BigInt,
        portal_synced -> BigInt,
    }
}

diesel::table! {
    report_targets (agency_id, year, indicator) {
        agency_id -> Text,
        year -> Integer,
        indicator -> Text,
        hundredths -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        owner_id -> Text,
        owner_kind -> Text,
        url -> Text,
        secret -> Text,
        event_types -> Text,
        active -> Bool,
        last_event_id -> BigInt,
        lease_owner -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_event_tx -> BigInt,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        webhook_id -> Text,
        event_id -> BigInt,
        event_type -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        event_tx -> BigInt,
    }
}

diesel::table! {
    webhook_attempts (delivery_id, number) {
        delivery_id -> Text,
        number -> Integer,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> BigInt,
    }
}

diesel::table! {
    verification_codes (id) {
        id -> Text,
        purpose -> Text,
        destination -> Text,
        code_hash -> Text,
        tries_left -> Integer,
        expires_at -> Timestamp,
        payload -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        kind -> Text,
        channel -> Text,
        destination -> Text,
        language -> Text,
        subject -> Text,
        body -> Text,
        user_id -> Nullable<Text>,
        dossier_id -> Nullable<Text>,
        feedback_id -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        action -> Text,
        actor_kind -> Text,
        actor_id -> Nullable<Text>,
        actor_name -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        client_address -> Nullable<Text>,
        subject_type -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        agency_id -> Nullable<Text>,
        details -> Text,
    }
}

diesel::table! {
    portal_syncs (dossier_id, version) {
        dossier_id -> Text,
        version -> BigInt,
        accepted -> Bool,
        error -> Nullable<Text>,
        recorded_at -> Timestamp,
        recorded_by -> Text,
    }
}

diesel::joinable!(users -> agencies (agency_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_deliveries -> outbox_events (event_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(notifications -> dossiers (dossier_id));
diesel::joinable!(report_targets -> agencies (agency_id));
diesel::joinable!(surveys -> dossiers (dossier_id));
diesel::joinable!(feedback_history -> feedback (feedback_id));
diesel::joinable!(dossiers -> agencies (agency_id));
diesel::joinable!(dossiers -> procedures (procedure_id));
diesel::joinable!(dossier_history -> dossiers (dossier_id));
diesel::joinable!(dossier_files -> dossiers (dossier_id));
diesel::joinable!(dossier_hops -> dossiers (dossier_id));
diesel::joinable!(portal_syncs -> dossiers (dossier_id));
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
    dossiers,
    dossier_history,
    dossier_files,
    dossier_hops,
    outbox_events,
    idempotency_keys,
    surveys,
    feedback,
    feedback_history,
    feedback_limits,
    report_targets,
    report_counts,
    dossier_sequences,
    webhooks,
    webhook_deliveries,
    webhook_attempts,
    verification_codes,
    notifications,
    audit_events,
    portal_syncs,
);

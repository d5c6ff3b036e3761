//! The shared schema, written by hand with the types both backends support (see
//! `docs/ARCHITECTURE.md`): ids and JSON as `Text`, UTC timestamps as `Timestamp`.

diesel::table! {
    departments (code) {
        code -> Text,
        name -> Text,
    }
}

diesel::table! {
    classifications (code) {
        code -> Text,
        title -> Text,
    }
}

diesel::table! {
    locations (code) {
        code -> Text,
        name -> Text,
        fips -> Text,
    }
}

diesel::table! {
    offices (code) {
        code -> Text,
        name -> Text,
        county_code -> Text,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        username -> Nullable<Text>,
        username_key -> Nullable<Text>,
        email -> Nullable<Text>,
        email_key -> Nullable<Text>,
        employee_id -> Nullable<Text>,
        first_name -> Text,
        last_name -> Text,
        password_hash -> Nullable<Text>,
        password_changed_at -> Nullable<Timestamp>,
        temporary_password_expires_at -> Nullable<Timestamp>,
        email_verified_at -> Nullable<Timestamp>,
        department_code -> Nullable<Text>,
        office_code -> Nullable<Text>,
        disabled_at -> Nullable<Timestamp>,
        failed_login_count -> Integer,
        failed_login_window_start -> Nullable<Timestamp>,
        locked_until -> Nullable<Timestamp>,
        privacy_agreement_version -> Nullable<Text>,
        privacy_agreement_accepted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        merged_into -> Nullable<Text>,
        merged_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    account_roles (account_id, role) {
        account_id -> Text,
        role -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        account_id -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    one_time_tokens (token_hash) {
        token_hash -> Text,
        account_id -> Text,
        purpose -> Text,
        sent_to -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    merge_codes (id) {
        id -> Text,
        requested_by -> Text,
        account_id -> Text,
        code_hash -> Text,
        sent_to -> Text,
        attempts -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    employee_roster (employee_id) {
        employee_id -> Text,
        first_name -> Text,
        last_name -> Text,
        department_code -> Text,
        business_email -> Text,
        business_email_key -> Text,
        status -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        occurred_at -> Timestamp,
        kind -> Text,
        actor_account_id -> Nullable<Text>,
        subject_account_id -> Nullable<Text>,
        details -> Text,
    }
}

diesel::table! {
    outbox_emails (id) {
        id -> Text,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        created_at -> Timestamp,
        next_attempt_at -> Timestamp,
        attempts -> Integer,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        kind -> Text,
        list_unsubscribe -> Nullable<Text>,
    }
}

diesel::table! {
    messages (id) {
        id -> Text,
        account_id -> Text,
        kind -> Text,
        subject -> Text,
        body -> Text,
        application_id -> Nullable<Text>,
        posting_id -> Nullable<Text>,
        outbox_email_id -> Nullable<Text>,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        archived_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    message_email_opt_outs (account_id, kind) {
        account_id -> Text,
        kind -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    postings (id) {
        id -> Text,
        department_code -> Text,
        classification_code -> Text,
        title -> Text,
        duties -> Text,
        county_code -> Text,
        tenure -> Text,
        time_base -> Text,
        shift -> Text,
        salary_min_cents -> BigInt,
        salary_max_cents -> BigInt,
        final_filing_date -> Date,
        required_documents -> Text,
        eligibility_required -> Bool,
        visibility -> Text,
        status -> Text,
        published_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    posting_changes (seq) {
        seq -> BigInt,
        posting_id -> Text,
    }
}

diesel::table! {
    posting_changes_pruned (id) {
        id -> Integer,
        pruned_through -> BigInt,
    }
}

diesel::table! {
    search_instances (instance_id) {
        instance_id -> Text,
        applied_seq -> BigInt,
        heartbeat_at -> Timestamp,
    }
}

diesel::table! {
    saved_searches (id) {
        id -> Text,
        account_id -> Text,
        name -> Text,
        criteria -> Text,
        criteria_version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    exams (id) {
        id -> Text,
        classification_code -> Text,
        title -> Text,
        description -> Text,
        is_open -> Bool,
        final_filing_date -> Nullable<Date>,
        list_duration_months -> Integer,
        passing_score -> Integer,
        retake_wait_days -> Integer,
        questions -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    exam_attempts (id) {
        id -> Text,
        exam_id -> Text,
        account_id -> Text,
        classification_code -> Text,
        score -> Integer,
        passed -> Bool,
        rank_band -> Nullable<Integer>,
        answers -> Text,
        taken_at -> Timestamp,
    }
}

diesel::table! {
    eligibilities (attempt_id) {
        attempt_id -> Text,
        account_id -> Text,
        classification_code -> Text,
        exam_id -> Text,
        score -> Integer,
        rank_band -> Integer,
        granted_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    profiles (account_id) {
        account_id -> Text,
        phone -> Nullable<Text>,
        address_line1 -> Nullable<Text>,
        address_line2 -> Nullable<Text>,
        address_city -> Nullable<Text>,
        address_state -> Nullable<Text>,
        address_postal_code -> Nullable<Text>,
        supervisors -> Text,
        conditions -> Text,
        accepts_contact -> Bool,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    application_templates (id) {
        id -> Text,
        account_id -> Text,
        name -> Text,
        name_key -> Text,
        is_default -> Bool,
        content -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        account_id -> Text,
        kind -> Text,
        title -> Text,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        object_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    applications (id) {
        id -> Text,
        posting_id -> Text,
        account_id -> Text,
        template_id -> Nullable<Text>,
        status -> Text,
        stage -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        profile_snapshot -> Nullable<Text>,
        template_name -> Nullable<Text>,
        template_snapshot -> Nullable<Text>,
        conditions_fit -> Nullable<Bool>,
        rank_band -> Nullable<Integer>,
        score -> Nullable<Integer>,
        sort_key -> Nullable<Text>,
    }
}

diesel::table! {
    application_attachments (application_id, document_id) {
        application_id -> Text,
        document_id -> Text,
        position -> Integer,
    }
}

diesel::table! {
    application_files (application_id, document_id) {
        application_id -> Text,
        document_id -> Text,
        position -> Integer,
        kind -> Text,
        title -> Text,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        object_key -> Text,
    }
}

diesel::table! {
    application_events (id) {
        id -> Text,
        application_id -> Text,
        at -> Timestamp,
        status -> Text,
        stage -> Nullable<Text>,
        reason -> Nullable<Text>,
        note -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        notice_sent -> Bool,
    }
}

diesel::table! {
    department_stages (department_code, position) {
        department_code -> Text,
        position -> Integer,
        name -> Text,
        name_key -> Text,
        status -> Text,
        notify -> Bool,
    }
}

diesel::table! {
    idempotency_keys (account_id, scope, idempotency_key) {
        account_id -> Text,
        scope -> Text,
        idempotency_key -> Text,
        fingerprint -> Text,
        status_code -> Integer,
        resource_id -> Text,
        body -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    posting_fills (posting_id) {
        posting_id -> Text,
        filled_at -> Timestamp,
        filled_by -> Text,
    }
}

diesel::joinable!(offices -> locations (county_code));
diesel::joinable!(exam_attempts -> exams (exam_id));
diesel::joinable!(eligibilities -> accounts (account_id));
diesel::joinable!(account_roles -> accounts (account_id));
diesel::joinable!(sessions -> accounts (account_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(one_time_tokens -> accounts (account_id));

diesel::joinable!(profiles -> accounts (account_id));
diesel::joinable!(application_templates -> accounts (account_id));
diesel::joinable!(documents -> accounts (account_id));
diesel::joinable!(applications -> postings (posting_id));
diesel::joinable!(applications -> accounts (account_id));
diesel::joinable!(application_events -> applications (application_id));
diesel::joinable!(application_files -> applications (application_id));
diesel::joinable!(application_attachments -> applications (application_id));
diesel::joinable!(application_attachments -> documents (document_id));
diesel::joinable!(messages -> accounts (account_id));

diesel::table! {
    staff_cases (id) {
        id -> Text,
        office_code -> Text,
        kind -> Text,
        person_account_id -> Nullable<Text>,
        employer_name -> Nullable<Text>,
        employer_name_key -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        contact_phone_digits -> Nullable<Text>,
        assigned_staff_id -> Text,
        status -> Text,
        opened_at -> Timestamp,
        opened_by -> Text,
        closed_at -> Nullable<Timestamp>,
        closed_by -> Nullable<Text>,
        close_reason -> Nullable<Text>,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    case_activities (id) {
        id -> Text,
        case_id -> Text,
        code -> Text,
        provided_on -> Date,
        staff_id -> Text,
        note -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
        office_code -> Text,
    }
}

diesel::table! {
    case_placements (id) {
        id -> Text,
        case_id -> Text,
        employer_name -> Text,
        posting_id -> Nullable<Text>,
        job_title -> Text,
        start_date -> Date,
        hourly_wage_cents -> BigInt,
        staff_id -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
        office_code -> Text,
    }
}

diesel::table! {
    contact_letters (id) {
        id -> Text,
        posting_id -> Text,
        account_id -> Text,
        classification_code -> Text,
        rank_band -> Integer,
        message_id -> Text,
        method -> Text,
        sent_by -> Text,
        sent_at -> Timestamp,
        respond_by -> Timestamp,
        answer -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    appointment_waivers (id) {
        id -> Text,
        account_id -> Text,
        classification_code -> Text,
        posting_id -> Text,
        reason -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    letter_templates (id) {
        id -> Text,
        office_code -> Text,
        name -> Text,
        name_key -> Text,
        subject -> Text,
        body -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    correspondence (id) {
        id -> Text,
        case_id -> Text,
        template_id -> Text,
        office_code -> Text,
        account_id -> Text,
        staff_id -> Text,
        subject -> Text,
        body -> Text,
        message_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(case_activities -> staff_cases (case_id));
diesel::joinable!(case_placements -> staff_cases (case_id));

diesel::table! {
    job_alerts (id) {
        id -> Text,
        account_id -> Text,
        saved_search_id -> Nullable<Text>,
        criteria -> Text,
        criteria_version -> BigInt,
        channel -> Text,
        frequency -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    job_alert_changes (seq) {
        seq -> BigInt,
        alert_id -> Text,
    }
}

diesel::table! {
    job_alert_queue (posting_id) {
        posting_id -> Text,
        queued_at -> Timestamp,
        matched_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    job_alert_hits (alert_id, posting_id) {
        alert_id -> Text,
        posting_id -> Text,
        account_id -> Text,
        frequency -> Text,
        period_start -> Timestamp,
        due_at -> Timestamp,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        message_id -> Nullable<Text>,
    }
}

diesel::table! {
    job_alert_digests (account_id, frequency, period_start) {
        account_id -> Text,
        frequency -> Text,
        period_start -> Timestamp,
        message_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    appointments (id) {
        id -> Text,
        office_code -> Text,
        staff_id -> Text,
        case_id -> Nullable<Text>,
        title -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        location -> Nullable<Text>,
        video_url -> Nullable<Text>,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    announcements (id) {
        id -> Text,
        title -> Text,
        body -> Text,
        all_offices -> Bool,
        all_roles -> Bool,
        publish_at -> Timestamp,
        expire_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    announcement_offices (announcement_id, office_code) {
        announcement_id -> Text,
        office_code -> Text,
    }
}

diesel::table! {
    announcement_roles (announcement_id, role) {
        announcement_id -> Text,
        role -> Text,
    }
}

diesel::table! {
    announcement_reads (account_id, announcement_id) {
        announcement_id -> Text,
        account_id -> Text,
        read_at -> Timestamp,
    }
}

diesel::table! {
    dashboard_widgets (account_id) {
        account_id -> Text,
        widgets -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        name -> Text,
        department_code -> Nullable<Text>,
        permissions -> Text,
        account_id -> Text,
        created_at -> Timestamp,
        created_by -> Text,
        updated_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
    }
}

diesel::table! {
    api_client_secrets (id) {
        id -> Text,
        client_id -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(api_client_secrets -> api_clients (client_id));
diesel::joinable!(api_clients -> accounts (account_id));

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        client_id -> Text,
        url -> Text,
        description -> Nullable<Text>,
        event_types -> Text,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        created_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_events (id) {
        id -> Text,
        event_type -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        event_id -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        endpoint_id -> Text,
        attempt -> Integer,
        attempted_at -> Timestamp,
        response_status -> Nullable<Integer>,
        latency_ms -> BigInt,
        response_body -> Nullable<Text>,
        error -> Nullable<Text>,
    }
}

diesel::joinable!(webhook_endpoints -> api_clients (client_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_deliveries -> webhook_events (event_id));

diesel::table! {
    staff_links (id) {
        id -> Text,
        shelf -> Text,
        title -> Text,
        url -> Text,
        kind -> Nullable<Text>,
        region -> Nullable<Text>,
        description -> Nullable<Text>,
        all_offices -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    staff_link_offices (link_id, office_code) {
        link_id -> Text,
        office_code -> Text,
    }
}

diesel::table! {
    surveys (id) {
        id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        questions -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        all_offices -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    survey_offices (survey_id, office_code) {
        survey_id -> Text,
        office_code -> Text,
    }
}

diesel::table! {
    survey_responses (account_id, survey_id) {
        survey_id -> Text,
        account_id -> Text,
        submitted_at -> Timestamp,
    }
}

diesel::table! {
    survey_answers (id) {
        id -> Text,
        survey_id -> Text,
        question -> Integer,
        choice -> Nullable<Integer>,
        rating -> Nullable<Integer>,
        answer_text -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    departments,
    classifications,
    locations,
    offices,
    accounts,
    account_roles,
    sessions,
    refresh_tokens,
    one_time_tokens,
    merge_codes,
    employee_roster,
    audit_events,
    outbox_emails,
    messages,
    message_email_opt_outs,
    job_alerts,
    job_alert_changes,
    job_alert_queue,
    job_alert_hits,
    job_alert_digests,
    postings,
    posting_changes,
    posting_changes_pruned,
    search_instances,
    saved_searches,
    exams,
    exam_attempts,
    eligibilities,
    profiles,
    application_templates,
    documents,
    applications,
    application_attachments,
    application_files,
    application_events,
    department_stages,
    idempotency_keys,
    posting_fills,
    staff_cases,
    case_activities,
    case_placements,
    contact_letters,
    appointment_waivers,
    letter_templates,
    correspondence,
    appointments,
    announcements,
    announcement_offices,
    announcement_roles,
    announcement_reads,
    dashboard_widgets,
    api_clients,
    api_client_secrets,
    webhook_endpoints,
    webhook_events,
    webhook_deliveries,
    webhook_attempts,
    staff_links,
    staff_link_offices,
    surveys,
    survey_offices,
    survey_responses,
    survey_answers,
);

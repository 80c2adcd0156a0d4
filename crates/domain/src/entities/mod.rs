//! SeaORM entities: the tables as the database sees them. These are not API
//! objects; the server maps them to its own DTOs.

pub mod api_client;
pub mod attachment;
pub mod audit_event;
pub mod calendar_feed;
pub mod change_log;
pub mod collaboration;
pub mod collaboration_member;
pub mod contract;
pub mod contract_decision;
pub mod contract_import;
pub mod contract_import_mapping;
pub mod contract_system;
pub mod contract_template;
pub mod cpv_code;
pub mod digest_delivery;
pub mod it_system;
pub mod login_throttle;
pub mod money;
pub mod planned_tender;
pub mod procedure_time_limit;
pub mod refresh_token;
pub mod reminder_setting;
pub mod saved_view;
pub mod share;
pub mod supplier;
pub mod template;
pub mod template_version;
pub mod tenant;
pub mod tender_invitation;
pub mod tender_milestone;
pub mod tender_participation;
pub mod tender_plan;
pub mod threshold;
pub mod user;

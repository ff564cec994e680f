# What each request must satisfy: a known action, a role, an agreement, its gateway, purpose, fields, reason.
package gateway

import rego.v1

action_def := data.data.actions[input.action]

# Whether a document exists (is defined and not false, as a bare reference would test), asked once.
# rego-cpp makes a bare object reference used as a condition (`agreement`, `not agreement`), or a
# comparison with false, cost a copy of the object each time; is_object costs next to nothing, and every
# entry in the data is an object, so the second body only runs for malformed data.
known_action if is_object(action_def)

known_action if {
	not is_object(action_def)
	action_def != false
}

has_agreement if is_object(agreement)

has_agreement if {
	not is_object(agreement)
	agreement != false
}

has_legal_gateway if is_object(legal_gateway)

has_legal_gateway if {
	not is_object(legal_gateway)
	legal_gateway != false
}

# Array literals for membership: rego-cpp builds a set literal anew, keying each element, on every use.
needs_agreement if action_def.kind in ["data", "ingest", "oversight"]

# Data requests name their agreement and purpose; ingest and oversight may leave the agreement to the
# one their organisation holds for the action.
explicit_agreement_required if action_def.kind == "data"

permitting_roles contains role if {
	some role in input.principal.roles
	role_def := data.data.roles[role]
	org_type in role_def.organisation_types
	input.action in role_def.actions
}

agreement_id := input.agreement if {
	needs_agreement
	is_string(input.agreement)
}

agreement_id := sorted(held_agreements)[0] if {
	needs_agreement
	not explicit_agreement_required
	not is_string(input.agreement)
	count(held_agreements) > 0
}

# Agreements the principal's organisation holds that cover the action (for ingest and oversight): one
# pass over the agreements in a comprehension (two partial-set rules walked them twice, more slowly).
held_agreements := {id |
	some id
	a := data.data.agreements[id]
	input.action in a.actions
	org_type in a.organisation_types
	open_to_organisation(a.organisations)
}

# An agreement naming no organisations is open to every organisation of its types.
open_to_organisation(orgs) if count(orgs) == 0

open_to_organisation(orgs) if input.principal.organisation in orgs

agreement := data.data.agreements[agreement_id]

legal_gateway := data.data.legal_gateways[agreement.legal_gateway]

agreement_held if {
	org_type in agreement.organisation_types
	open_to_organisation(agreement.organisations)
}

purpose := input.purpose if is_string(input.purpose)

purpose := agreement.purposes[0] if {
	not is_string(input.purpose)
	not explicit_agreement_required
}

today := substring(input.now, 0, 10)

named_fields := {f | some f in input.request.fields}

requested_fields := named_fields if count(named_fields) > 0

# An aggregate data request that names no fields asks for aggregate counts, never for the agreement's
# identifiers.
requested_fields := {"aggregate_counts"} if {
	count(named_fields) == 0
	action_def.kind == "data"
	action_def.granularity == "aggregate"
}

rank := data.data.granularity_rank

deny contains reason(
	"DENY_UNKNOWN_ACTION",
	sprintf("The gateway does not know the action %v.", [input.action]),
	"Gateway rule G-1: default deny",
) if not known_action

deny contains reason(
	"DENY_RESOURCE_MISMATCH",
	sprintf("The action %v is about %v; the request names another resource.", [input.action, action_def.resource]),
	"Gateway rule G-1: default deny",
) if input.request.resource != action_def.resource

deny contains reason(
	"DENY_INVALID_INPUT",
	"The decision input has no valid time (now).",
	"Gateway rule G-1: default deny",
) if not is_string(input.now)

deny contains reason(
	"DENY_ROLE",
	sprintf(
		"None of the roles %v of this %v principal may perform %v.",
		[joined(input.principal.roles), input.principal.organisation_type, input.action],
	),
	"Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)",
) if {
	known_action
	count(permitting_roles) == 0
}

deny contains reason(
	"DENY_ROLE_NOT_IN_AGREEMENT",
	sprintf("The agreement %v is not for any of the roles %v.", [agreement_id, joined(sorted(permitting_roles))]),
	legal_gateway.citation,
) if {
	count(permitting_roles) > 0
	not role_in_agreement
}

role_in_agreement if {
	some r in permitting_roles
	r in agreement.roles
}

deny contains reason("DENY_NO_AGREEMENT", no_agreement_message, no_agreement_citation) if {
	needs_agreement
	not has_agreement
}

no_agreement_citation := "UK GDPR Art. 5(2) accountability: every share rests on a recorded data-sharing agreement"

no_agreement_message := "A data request must name its data-sharing agreement (agreement)." if {
	explicit_agreement_required
	not is_string(input.agreement)
}

no_agreement_message := sprintf("There is no data-sharing agreement %v.", [input.agreement]) if {
	is_string(input.agreement)
}

no_agreement_message := sprintf(
	"No data-sharing agreement held by %v covers %v.",
	[input.principal.organisation, input.action],
) if {
	not explicit_agreement_required
	not is_string(input.agreement)
}

deny contains reason(
	"DENY_AGREEMENT_NOT_HELD",
	sprintf("The agreement %v is not held by %v (%v).", [
		agreement_id,
		input.principal.organisation, input.principal.organisation_type,
	]),
	legal_gateway.citation,
) if {
	has_agreement
	not agreement_held
}

deny contains reason(
	"DENY_ACTION_NOT_COVERED",
	sprintf("The agreement %v does not cover %v.", [agreement_id, input.action]),
	legal_gateway.citation,
) if not input.action in agreement.actions

deny contains reason(
	"DENY_AGREEMENT_EXPIRED",
	sprintf("The agreement %v ended on %v.", [agreement_id, agreement.valid_to]),
	legal_gateway.citation,
) if today > agreement.valid_to

deny contains reason(
	"DENY_AGREEMENT_NOT_YET_VALID",
	sprintf("The agreement %v starts on %v.", [agreement_id, agreement.valid_from]),
	legal_gateway.citation,
) if today < agreement.valid_from

deny contains reason(
	"DENY_NO_LEGAL_GATEWAY",
	sprintf("The agreement %v names no known legal gateway.", [agreement_id]),
	no_agreement_citation,
) if {
	has_agreement
	not has_legal_gateway
}

deny contains reason(
	"DENY_GATEWAY_REQUESTER",
	sprintf("%v does not permit sharing with a %v organisation.", [legal_gateway.statute, input.principal.organisation_type]),
	legal_gateway.citation,
) if not org_type in legal_gateway.requester_types

deny contains reason(
	"DENY_PURPOSE_REQUIRED",
	"A data request must state its purpose (purpose).",
	"UK GDPR Art. 5(1)(b) purpose limitation",
) if {
	explicit_agreement_required
	not is_string(input.purpose)
}

deny contains reason(
	"DENY_PURPOSE_NOT_PERMITTED",
	sprintf("The purpose %v is not one the agreement %v allows (%v).", [purpose, agreement_id, joined(agreement.purposes)]),
	"UK GDPR Art. 5(1)(b) purpose limitation",
) if not purpose_in_agreement

deny contains reason(
	"DENY_PURPOSE_NOT_PERMITTED",
	sprintf("%v does not permit sharing for the purpose %v.", [legal_gateway.statute, purpose]),
	legal_gateway.citation,
) if {
	purpose_in_agreement
	not purpose in legal_gateway.purposes
}

purpose_in_agreement if purpose in agreement.purposes

deny contains reason(
	"DENY_GRANULARITY",
	sprintf("%v needs %v data; the agreement %v allows at most %v.", [
		input.action, action_def.granularity,
		agreement_id, agreement.granularity,
	]),
	"UK GDPR Art. 5(1)(c) data minimisation",
) if rank[agreement.granularity] < rank[action_def.granularity]

deny contains reason(
	"DENY_GRANULARITY",
	sprintf("The agreement %v asks for %v data; %v allows at most %v.", [
		agreement_id, agreement.granularity,
		legal_gateway.statute, legal_gateway.max_granularity,
	]),
	legal_gateway.citation,
) if rank[agreement.granularity] > rank[legal_gateway.max_granularity]

deny contains reason(
	"DENY_FIELD_OUTSIDE_AGREEMENT",
	sprintf("The fields %v are outside the agreement %v.", [joined(sorted(outside)), agreement_id]),
	"UK GDPR Art. 5(1)(c) data minimisation",
) if {
	has_agreement
	outside := {f | some f in requested_fields; not f in agreement.fields}
	count(outside) > 0
}

deny contains reason(
	"DENY_REASON_REQUIRED",
	"The agreement requires a reason for access of at least 10 characters (reason).",
	legal_gateway.citation,
) if {
	agreement.reason_required
	not valid_reason
}

valid_reason if {
	is_string(input.reason)
	count(trim_space(input.reason)) >= 10
}

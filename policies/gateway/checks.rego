# METADATA
# title: Request checks
# description: >-
#   What each request must satisfy: a known action, a role, an agreement held by the caller's organisation
#   and in force, its legal gateway, purpose, granularity, fields and, where required, a reason.
package gateway

import rego.v1

# Each condition that may rest on an undefined value is named in a helper rule and the helper is negated:
# in OPA `not f(x)` with x undefined is itself undefined (the call's argument is bound outside the
# negation), while other engines would call it true.

action_def := data.data.actions[input.action]

known_action if action_def

needs_agreement if action_def.kind in {"data", "ingest", "oversight", "data-management"}

# Data and data-management requests name their agreement and purpose; ingest and oversight may leave the
# agreement to the one their organisation holds for the action.
explicit_agreement_required if action_def.kind in {"data", "data-management"}

permitting_roles contains role if {
	some role in input.principal.roles
	role_def := data.data.roles[role]
	input.principal.organisation_type in role_def.organisation_types
	input.action in role_def.actions
}

agreement_named if is_string(input.agreement)

agreement_id := input.agreement if {
	needs_agreement
	agreement_named
}

# The first, by id, of the agreements the caller's organisation holds for the action.
agreement_id := min(held_agreements) if {
	needs_agreement
	not explicit_agreement_required
	not agreement_named
}

held_agreements contains id if {
	some id, candidate in data.data.agreements
	input.action in candidate.actions
	held(candidate)
}

# An agreement is held by the organisations of its types it names, or by every one of them if it names none.
held(a) if {
	input.principal.organisation_type in a.organisation_types
	open_to_organisation(a.organisations)
}

open_to_organisation(orgs) if count(orgs) == 0

open_to_organisation(orgs) if input.principal.organisation in orgs

agreement := data.data.agreements[agreement_id]

agreement_held if held(agreement)

legal_gateway := data.data.legal_gateways[agreement.legal_gateway]

purpose_given if is_string(input.purpose)

purpose := input.purpose if purpose_given

purpose := agreement.purposes[0] if {
	not purpose_given
	not explicit_agreement_required
}

now_given if is_string(input.now)

today := substring(input.now, 0, 10) if now_given

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

# METADATA
# title: Unknown action
# description: An action the policy data does not define is refused.
# custom:
#   statute: "Gateway rule G-1: default deny"
deny contains reason(
	"DENY_UNKNOWN_ACTION",
	sprintf("The gateway does not know the action %v.", [input.action]),
	"Gateway rule G-1: default deny",
) if not known_action

# METADATA
# title: Resource mismatch
# description: A request must be about the resource its action is defined for.
# custom:
#   statute: "Gateway rule G-1: default deny"
deny contains reason(
	"DENY_RESOURCE_MISMATCH",
	sprintf("The action %v is about %v; the request names another resource.", [input.action, action_def.resource]),
	"Gateway rule G-1: default deny",
) if input.request.resource != action_def.resource

# METADATA
# title: Invalid input
# description: Validity dates are checked against the decision time, so a decision without one is refused.
# custom:
#   statute: "Gateway rule G-1: default deny"
deny contains reason(
	"DENY_INVALID_INPUT",
	"The decision input has no valid time (now).",
	"Gateway rule G-1: default deny",
) if not now_given

# METADATA
# title: No role permits the action
# description: One of the caller's roles must permit the action for the caller's type of organisation.
# custom:
#   statute: UK GDPR Art. 32 access control (role-based access, gateway rule R-1)
deny contains reason(
	"DENY_ROLE",
	concat("", [
		"None of the roles ", concat(", ", input.principal.roles),
		sprintf(" of this %v principal may perform %v.", [input.principal.organisation_type, input.action]),
	]),
	"Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)",
) if {
	known_action
	count(permitting_roles) == 0
}

# METADATA
# title: Role outside the agreement
# description: The agreement names the roles it is for; a permitted role must be one of them.
# custom:
#   statute: the agreement's legal gateway (its citation)
deny contains reason(
	"DENY_ROLE_NOT_IN_AGREEMENT",
	concat("", [
		sprintf("The agreement %v is not for any of the roles ", [agreement_id]),
		concat(", ", sort(permitting_roles)), ".",
	]),
	legal_gateway.citation,
) if {
	count(permitting_roles) > 0
	agreement
	not role_in_agreement
}

role_in_agreement if {
	some role in permitting_roles
	role in agreement.roles
}

# METADATA
# title: No agreement
# description: Every share rests on a recorded data-sharing agreement that exists.
# custom:
#   statute: UK GDPR Art. 5(2) accountability
deny contains reason("DENY_NO_AGREEMENT", no_agreement_message, no_agreement_citation) if {
	needs_agreement
	not agreement
}

no_agreement_citation := "UK GDPR Art. 5(2) accountability: every share rests on a recorded data-sharing agreement"

no_agreement_message := "A data request must name its data-sharing agreement (agreement)." if {
	explicit_agreement_required
	not agreement_named
}

no_agreement_message := sprintf("There is no data-sharing agreement %v.", [input.agreement]) if agreement_named

no_agreement_message := sprintf(
	"No data-sharing agreement held by %v covers %v.",
	[input.principal.organisation, input.action],
) if {
	not explicit_agreement_required
	not agreement_named
}

# METADATA
# title: Agreement not held
# description: Only the organisations an agreement is with may act under it.
# custom:
#   statute: the agreement's legal gateway (its citation)
deny contains reason(
	"DENY_AGREEMENT_NOT_HELD",
	sprintf("The agreement %v is not held by %v (%v).", [
		agreement_id,
		input.principal.organisation, input.principal.organisation_type,
	]),
	legal_gateway.citation,
) if {
	agreement
	not agreement_held
}

# METADATA
# title: Action not covered
# description: An agreement lists the actions it covers; any other action is outside it.
# custom:
#   statute: the agreement's legal gateway (its citation)
deny contains reason(
	"DENY_ACTION_NOT_COVERED",
	sprintf("The agreement %v does not cover %v.", [agreement_id, input.action]),
	legal_gateway.citation,
) if {
	agreement
	not action_covered
}

action_covered if input.action in agreement.actions

# METADATA
# title: Agreement expired
# description: An agreement no longer permits sharing after its last day.
# custom:
#   statute: the agreement's legal gateway (its citation)
deny contains reason(
	"DENY_AGREEMENT_EXPIRED",
	sprintf("The agreement %v ended on %v.", [agreement_id, agreement.valid_to]),
	legal_gateway.citation,
) if today > agreement.valid_to

# METADATA
# title: Agreement not yet in force
# description: An agreement permits sharing only from its first day.
# custom:
#   statute: the agreement's legal gateway (its citation)
deny contains reason(
	"DENY_AGREEMENT_NOT_YET_VALID",
	sprintf("The agreement %v starts on %v.", [agreement_id, agreement.valid_from]),
	legal_gateway.citation,
) if today < agreement.valid_from

# METADATA
# title: No legal gateway
# description: An agreement must rest on a legal gateway the policy knows.
# custom:
#   statute: UK GDPR Art. 5(2) accountability
deny contains reason(
	"DENY_NO_LEGAL_GATEWAY",
	sprintf("The agreement %v names no known legal gateway.", [agreement_id]),
	no_agreement_citation,
) if {
	agreement
	not legal_gateway
}

# METADATA
# title: Requester type outside the legal gateway
# description: A legal gateway permits sharing with named types of organisation only.
# custom:
#   statute: the agreement's legal gateway (its citation)
deny contains reason(
	"DENY_GATEWAY_REQUESTER",
	sprintf("%v does not permit sharing with a %v organisation.", [legal_gateway.statute, input.principal.organisation_type]),
	legal_gateway.citation,
) if {
	legal_gateway
	not requester_permitted
}

requester_permitted if input.principal.organisation_type in legal_gateway.requester_types

# METADATA
# title: Purpose required
# description: A data request must state its purpose.
# custom:
#   statute: UK GDPR Art. 5(1)(b) purpose limitation
deny contains reason(
	"DENY_PURPOSE_REQUIRED",
	"A data request must state its purpose (purpose).",
	"UK GDPR Art. 5(1)(b) purpose limitation",
) if {
	explicit_agreement_required
	not purpose_given
}

# METADATA
# title: Purpose outside the agreement
# description: The purpose must be one the agreement allows.
# custom:
#   statute: UK GDPR Art. 5(1)(b) purpose limitation
deny contains reason(
	"DENY_PURPOSE_NOT_PERMITTED",
	concat("", [
		sprintf("The purpose %v is not one the agreement %v allows (", [purpose, agreement_id]),
		concat(", ", agreement.purposes), ").",
	]),
	"UK GDPR Art. 5(1)(b) purpose limitation",
) if {
	agreement
	purpose
	not purpose_in_agreement
}

purpose_in_agreement if purpose in agreement.purposes

# METADATA
# title: Purpose outside the legal gateway
# description: The purpose must also be one the agreement's legal gateway permits.
# custom:
#   statute: the agreement's legal gateway (its citation)
deny contains reason(
	"DENY_PURPOSE_NOT_PERMITTED",
	sprintf("%v does not permit sharing for the purpose %v.", [legal_gateway.statute, purpose]),
	legal_gateway.citation,
) if {
	purpose_in_agreement
	not purpose_in_gateway
}

purpose_in_gateway if purpose in legal_gateway.purposes

# METADATA
# title: Agreement too coarse for the action
# description: An action needs data at least as detailed as its granularity; the agreement must allow that.
# custom:
#   statute: UK GDPR Art. 5(1)(c) data minimisation
deny contains reason(
	"DENY_GRANULARITY",
	sprintf("%v needs %v data; the agreement %v allows at most %v.", [
		input.action, action_def.granularity,
		agreement_id, agreement.granularity,
	]),
	"UK GDPR Art. 5(1)(c) data minimisation",
) if rank[agreement.granularity] < rank[action_def.granularity]

# METADATA
# title: Agreement beyond its legal gateway
# description: An agreement may not release data more detailed than its legal gateway allows.
# custom:
#   statute: the agreement's legal gateway (its citation)
deny contains reason(
	"DENY_GRANULARITY",
	sprintf("The agreement %v asks for %v data; %v allows at most %v.", [
		agreement_id, agreement.granularity,
		legal_gateway.statute, legal_gateway.max_granularity,
	]),
	legal_gateway.citation,
) if rank[agreement.granularity] > rank[legal_gateway.max_granularity]

# METADATA
# title: Fields outside the agreement
# description: Only the fields an agreement lists may be released.
# custom:
#   statute: UK GDPR Art. 5(1)(c) data minimisation
deny contains reason(
	"DENY_FIELD_OUTSIDE_AGREEMENT",
	concat("", [
		"The fields ", concat(", ", sort(outside)),
		sprintf(" are outside the agreement %v.", [agreement_id]),
	]),
	"UK GDPR Art. 5(1)(c) data minimisation",
) if {
	agreement
	outside := requested_fields - {f | some f in agreement.fields}
	count(outside) > 0
}

# METADATA
# title: Reason for access required
# description: Where an agreement requires it, the caller must say why (at least 10 characters).
# custom:
#   statute: the agreement's legal gateway (its citation)
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

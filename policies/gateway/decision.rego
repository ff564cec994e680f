# METADATA
# title: Gateway decision
# description: >-
#   The gateway's decision for one request (entrypoint data.gateway.decision): allow, the reasons
#   ordered by code, and on allow the obligations the gateway enforces. What this means is what OPA's
#   evaluator says; regorus and regopy are held to it by the tests.
package gateway

import rego.v1

# METADATA
# title: Default deny
# description: A request that no rule allows, or whose decision cannot be made, is refused.
# custom:
#   statute: "Gateway rule G-1: default deny"
default decision := {
	"allow": false,
	"reasons": [{
		"code": "DENY_DEFAULT",
		"message": "No rule allowed this request.",
		"citation": "Gateway rule G-1: default deny",
	}],
	"obligations": null,
}

# METADATA
# title: Allowed, with obligations
# description: An allowed request carries its one allow reason and the obligations that shape the answer.
# custom:
#   statute: the agreement's legal gateway, or the gateway rule that allows the action
decision := {"allow": true, "reasons": [allow_reason], "obligations": obligations} if allow

# METADATA
# title: Denied, with every reason
# description: A denied request lists every rule it breaks, ordered by code, so one answer names them all.
# custom:
#   statute: "Gateway rule G-1: default deny"
decision := {"allow": false, "reasons": deny_reasons, "obligations": null} if {
	not allow
	count(deny) > 0
}

default allow := false

allow if {
	count(deny) == 0
	allow_reason
}

# Ordered by code, then message: sets have no order an engine must keep, arrays do.
deny_reasons := [reason(code, message, citation) |
	some [code, message, citation] in sort([[d.code, d.message, d.citation] | some d in deny])
]

reason(code, message, citation) := {"code": code, "message": message, "citation": citation}

# METADATA
# title: Allowed under a data-sharing agreement
# description: Data, ingest and oversight actions are allowed only under an agreement and its legal gateway.
# custom:
#   statute: the agreement's legal gateway (its citation)
allow_reason := reason(
	"ALLOW_AGREEMENT",
	sprintf("Allowed under agreement %v (%v) for the purpose %v.", [agreement_id, agreement.title, purpose]),
	legal_gateway.citation,
) if needs_agreement

# METADATA
# title: Self-service explanation
# description: Any caller with a known role may ask how the gateway would decide its own requests.
# custom:
#   statute: "Gateway rule G-3: explainable decisions (UK GDPR Art. 5(1)(a) transparency)"
allow_reason := reason(
	"ALLOW_SELF_SERVICE",
	"Any authenticated caller may ask how the gateway would decide its own requests.",
	"Gateway rule G-3: explainable decisions (UK GDPR Art. 5(1)(a) transparency)",
) if {
	action_def.kind == "self-service"
	count(permitting_roles) > 0
}

# METADATA
# title: Policy administration
# description: Named DfE staff with the policy-admin role may reload the policy bundle.
# custom:
#   statute: "Gateway rule G-2: policy administration by named DfE staff"
allow_reason := reason(
	"ALLOW_ROLE",
	concat("", ["The role ", concat(", ", sort(permitting_roles)), " may administer the policy bundle."]),
	"Gateway rule G-2: policy administration by named DfE staff",
) if {
	action_def.kind == "administration"
	count(permitting_roles) > 0
}

# METADATA
# title: Obligations of an agreement
# description: What the gateway must enforce when it serves the request, all of it from the agreement.
# custom:
#   statute: UK GDPR Art. 5(1)(b) and (c), purpose limitation and data minimisation
obligations := {
	"agreement": agreement_id,
	"legal_gateway": legal_gateway.citation,
	"purpose": purpose,
	"fields": released_fields,
	"row_filter": row_filter,
	"granularity": released_granularity,
	"pseudonym_domain": agreement.pseudonym_domain,
	"pseudonym_method": agreement.pseudonym_method,
	"generalisations": agreement.generalisations,
	"disclosure_profile": disclosure_profile,
	"row_cap": agreement.row_cap,
	"reason_required": agreement.reason_required,
} if needs_agreement

# METADATA
# title: No obligations without an agreement
# description: Self-service and administration release no data, so they carry empty obligations.
# custom:
#   statute: UK GDPR Art. 5(1)(c) data minimisation
obligations := {
	"agreement": null,
	"legal_gateway": null,
	"purpose": null,
	"fields": [],
	"row_filter": {"la_codes": null, "urns": null, "organisations": null},
	"granularity": null,
	"pseudonym_domain": null,
	"pseudonym_method": null,
	"generalisations": {},
	"disclosure_profile": null,
	"row_cap": null,
	"reason_required": false,
} if not needs_agreement

# The requested fields; a request that names none gets every field of its agreement.
released_fields := sort(requested_fields) if fields_requested

released_fields := sort(agreement.fields) if not fields_requested

fields_requested if count(requested_fields) > 0

# Aggregate actions release aggregates whatever the agreement would allow; record actions release
# records at the agreement's granularity.
released_granularity := "aggregate" if action_def.granularity == "aggregate"

released_granularity := agreement.granularity if action_def.granularity != "aggregate"

# The disclosure profile's parameters, from the privacy team's data; null for an agreement without one.
disclosure_profile := data.data.disclosure_profiles[agreement.disclosure_profile] if profile_named

disclosure_profile := null if not profile_named

profile_named if is_string(agreement.disclosure_profile)

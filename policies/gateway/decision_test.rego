# Tests for decision.rego: whole decisions for allowed, self-service, administrative and unknown requests.
# Each test_* rule decides its input, inputs.<test name>, and asserts the whole decision.
package gateway_test

import rego.v1

import data.gateway

inputs.test_allow_la_safeguarding_pupil_list := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"safeguarding-officer"
		],
		"scope": {
			"la_code": 202,
			"urn": null
		}
	},
	"action": "pupils.list",
	"purpose": "child-protection-enquiry",
	"agreement": "la-safeguarding",
	"reason": "Section 47 enquiry, case ref CP-2026-0112",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [
			"upn",
			"forename",
			"surname",
			"absence_rate"
		],
		"level": "la",
		"region": null,
		"la_code": 202,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_la_safeguarding_pupil_list if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "la-safeguarding",
			"disclosure_profile": {
				"cell_key": false,
				"dominance": null,
				"exact_own_figures": [],
				"min_comparator_schools": 3,
				"name": "casework",
				"ptable": null,
				"query_space": {
					"breakdowns": {
						"la": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"national": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"region": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"school": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						]
					},
					"ledger": false,
					"min_population": 0,
					"periods": "free"
				},
				"rate_decimals": 1,
				"round_to": null,
				"secondary": false,
				"threshold": 0,
				"totals": "recompute",
				"zeros_disclosive": false
			},
			"fields": [
				"absence_rate",
				"forename",
				"surname",
				"upn"
			],
			"generalisations": {},
			"granularity": "identifiable",
			"legal_gateway": "Children Act 1989 s.17 and s.47; Children Act 2004 s.11",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": "child-protection-enquiry",
			"reason_required": true,
			"write_scope": null,
			"row_cap": 5000,
			"row_filter": {
				"la_codes": [
					202
				],
				"organisations": null,
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "Children Act 1989 s.17 and s.47; Children Act 2004 s.11",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement la-safeguarding (Local authority safeguarding: child in need and child protection casework) for the purpose child-protection-enquiry."
			}
		]
	} with input as inputs.test_allow_la_safeguarding_pupil_list
}

inputs.test_allow_self_service_explain := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "decisions.explain",
	"purpose": null,
	"agreement": null,
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "decision_explain",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_self_service_explain if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": null,
			"disclosure_profile": null,
			"fields": [],
			"generalisations": {},
			"granularity": null,
			"legal_gateway": null,
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": null,
			"reason_required": false,
			"write_scope": null,
			"row_cap": null,
			"row_filter": {
				"la_codes": null,
				"organisations": null,
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "Gateway rule G-3: explainable decisions (UK GDPR Art. 5(1)(a) transparency)",
				"code": "ALLOW_SELF_SERVICE",
				"message": "Any authenticated caller may ask how the gateway would decide its own requests."
			}
		]
	} with input as inputs.test_allow_self_service_explain
}

inputs.test_allow_policy_admin_reload := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"policy-admin"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "policies.reload",
	"purpose": null,
	"agreement": null,
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "policy_admin",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_policy_admin_reload if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": null,
			"disclosure_profile": null,
			"fields": [],
			"generalisations": {},
			"granularity": null,
			"legal_gateway": null,
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": null,
			"reason_required": false,
			"write_scope": null,
			"row_cap": null,
			"row_filter": {
				"la_codes": null,
				"organisations": null,
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "Gateway rule G-2: policy administration by named DfE staff",
				"code": "ALLOW_ROLE",
				"message": "The role policy-admin may administer the policy bundle."
			}
		]
	} with input as inputs.test_allow_policy_admin_reload
}

inputs.test_deny_unknown_action := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"safeguarding-officer"
		],
		"scope": {
			"la_code": 202,
			"urn": null
		}
	},
	"action": "pupils.delete",
	"purpose": "child-protection-enquiry",
	"agreement": "la-safeguarding",
	"reason": "Section 47 enquiry, case ref CP-2026-0112",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_unknown_action if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Gateway rule G-1: default deny",
				"code": "DENY_UNKNOWN_ACTION",
				"message": "The gateway does not know the action pupils.delete."
			}
		]
	} with input as inputs.test_deny_unknown_action
}

inputs.test_deny_reload_without_policy_admin_role := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"dpo"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "policies.reload",
	"purpose": null,
	"agreement": null,
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "policy_admin",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_reload_without_policy_admin_role if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)",
				"code": "DENY_ROLE",
				"message": "None of the roles dpo of this dfe principal may perform policies.reload."
			}
		]
	} with input as inputs.test_deny_reload_without_policy_admin_role
}

inputs.test_deny_default_when_no_rule_decides := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "decisions.explain",
	"purpose": null,
	"agreement": null,
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "decision_explain",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_default_when_no_rule_decides if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Gateway rule G-1: default deny",
				"code": "DENY_DEFAULT",
				"message": "No rule allowed this request."
			}
		]
	} with input as inputs.test_deny_default_when_no_rule_decides
}

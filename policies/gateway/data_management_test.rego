# Tests for the data-management actions schools.reassign, schools.reclassify, pupils.correct_identity and pupils.merge: only DfE's data-manager under dfe-data-management,
# with a reason. Each test_* rule decides its input, inputs.<test name>, and asserts the whole decision.
package gateway_test

import rego.v1

import data.gateway

inputs.test_allow_dfe_data_manager_reassigns_a_school := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "schools.reassign",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "LA boundary change 2026: Cumbria split, GIAS change 12345",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "school_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_dfe_data_manager_reassigns_a_school if {
	gateway.decision == {
		"allow": true,
		"reasons": [
			{
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement dfe-data-management (DfE data management: correcting the register of schools (a school's LA, trust, phase or type) and a pupil's identity, with a reason) for the purpose data-management.",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			}
		],
		"obligations": {
			"agreement": "dfe-data-management",
			"legal_gateway": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
			"purpose": "data-management",
			"fields": [
				"la_code",
				"phase",
				"school_type",
				"trust_id",
				"urn"
			],
			"row_filter": {
				"la_codes": null,
				"urns": null,
				"organisations": null
			},
			"granularity": "identifiable",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"generalisations": {},
			"disclosure_profile": null,
			"row_cap": null,
			"reason_required": true,
			"write_scope": null
		}
	} with input as inputs.test_allow_dfe_data_manager_reassigns_a_school
}

inputs.test_deny_school_reassignment_without_a_reason := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "schools.reassign",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "school_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_reassignment_without_a_reason if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_REASON_REQUIRED",
				"message": "The agreement requires a reason for access of at least 10 characters (reason).",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_school_reassignment_without_a_reason
}

inputs.test_deny_school_reassignment_to_a_dfe_analyst := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "schools.reassign",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "LA boundary change 2026: Cumbria split, GIAS change 12345",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "school_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_reassignment_to_a_dfe_analyst if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_ROLE",
				"message": "None of the roles analyst of this dfe principal may perform schools.reassign.",
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_school_reassignment_to_a_dfe_analyst
}

inputs.test_deny_school_reassignment_to_an_la := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "schools.reassign",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "LA boundary change 2026: Cumbria split, GIAS change 12345",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "school_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_reassignment_to_an_la if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_AGREEMENT_NOT_HELD",
				"message": "The agreement dfe-data-management is not held by la-202 (la).",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			},
			{
				"code": "DENY_GATEWAY_REQUESTER",
				"message": "Education Act 1996 does not permit sharing with a la organisation.",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			},
			{
				"code": "DENY_ROLE",
				"message": "None of the roles data-manager of this la principal may perform schools.reassign.",
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_school_reassignment_to_an_la
}

inputs.test_allow_dfe_data_manager_reclassifies_a_school := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "schools.reclassify",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "GIAS change 12346: the school became an all-through academy",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "school_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_dfe_data_manager_reclassifies_a_school if {
	gateway.decision == {
		"allow": true,
		"reasons": [
			{
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement dfe-data-management (DfE data management: correcting the register of schools (a school's LA, trust, phase or type) and a pupil's identity, with a reason) for the purpose data-management.",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			}
		],
		"obligations": {
			"agreement": "dfe-data-management",
			"legal_gateway": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
			"purpose": "data-management",
			"fields": [
				"la_code",
				"phase",
				"school_type",
				"trust_id",
				"urn"
			],
			"row_filter": {
				"la_codes": null,
				"urns": null,
				"organisations": null
			},
			"granularity": "identifiable",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"generalisations": {},
			"disclosure_profile": null,
			"row_cap": null,
			"reason_required": true,
			"write_scope": null
		}
	} with input as inputs.test_allow_dfe_data_manager_reclassifies_a_school
}

inputs.test_deny_school_reclassification_without_a_reason := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "schools.reclassify",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "school_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_reclassification_without_a_reason if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_REASON_REQUIRED",
				"message": "The agreement requires a reason for access of at least 10 characters (reason).",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_school_reclassification_without_a_reason
}

inputs.test_deny_school_reclassification_to_a_dfe_analyst := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "schools.reclassify",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "GIAS change 12346: the school became an all-through academy",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "school_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_reclassification_to_a_dfe_analyst if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_ROLE",
				"message": "None of the roles analyst of this dfe principal may perform schools.reclassify.",
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_school_reclassification_to_a_dfe_analyst
}

inputs.test_deny_school_reclassification_to_an_la := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "schools.reclassify",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "GIAS change 12346: the school became an all-through academy",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "school_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_school_reclassification_to_an_la if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_AGREEMENT_NOT_HELD",
				"message": "The agreement dfe-data-management is not held by la-202 (la).",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			},
			{
				"code": "DENY_GATEWAY_REQUESTER",
				"message": "Education Act 1996 does not permit sharing with a la organisation.",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			},
			{
				"code": "DENY_ROLE",
				"message": "None of the roles data-manager of this la principal may perform schools.reclassify.",
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_school_reclassification_to_an_la
}

inputs.test_allow_dfe_data_manager_corrects_a_pupils_identity := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.correct_identity",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "GIAS change 12346: the school became an all-through academy",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_dfe_data_manager_corrects_a_pupils_identity if {
	gateway.decision == {
		"allow": true,
		"reasons": [
			{
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement dfe-data-management (DfE data management: correcting the register of schools (a school's LA, trust, phase or type) and a pupil's identity, with a reason) for the purpose data-management.",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			}
		],
		"obligations": {
			"agreement": "dfe-data-management",
			"legal_gateway": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
			"purpose": "data-management",
			"fields": [
				"la_code",
				"phase",
				"school_type",
				"trust_id",
				"urn"
			],
			"row_filter": {
				"la_codes": null,
				"urns": null,
				"organisations": null
			},
			"granularity": "identifiable",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"generalisations": {},
			"disclosure_profile": null,
			"row_cap": null,
			"reason_required": true,
			"write_scope": null
		}
	} with input as inputs.test_allow_dfe_data_manager_corrects_a_pupils_identity
}

inputs.test_deny_identity_correction_without_a_reason := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.correct_identity",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_identity_correction_without_a_reason if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_REASON_REQUIRED",
				"message": "The agreement requires a reason for access of at least 10 characters (reason).",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_identity_correction_without_a_reason
}

inputs.test_deny_identity_correction_to_a_dfe_analyst := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.correct_identity",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "GIAS change 12346: the school became an all-through academy",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_identity_correction_to_a_dfe_analyst if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_ROLE",
				"message": "None of the roles analyst of this dfe principal may perform pupils.correct_identity.",
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_identity_correction_to_a_dfe_analyst
}

inputs.test_deny_identity_correction_to_an_la := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.correct_identity",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "GIAS change 12346: the school became an all-through academy",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_identity_correction_to_an_la if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_AGREEMENT_NOT_HELD",
				"message": "The agreement dfe-data-management is not held by la-202 (la).",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			},
			{
				"code": "DENY_GATEWAY_REQUESTER",
				"message": "Education Act 1996 does not permit sharing with a la organisation.",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			},
			{
				"code": "DENY_ROLE",
				"message": "None of the roles data-manager of this la principal may perform pupils.correct_identity.",
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_identity_correction_to_an_la
}

inputs.test_allow_dfe_data_manager_merges_a_pupils_two_records := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.merge",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "School letter 2026-12: the temporary UPN was replaced by the permanent one",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_dfe_data_manager_merges_a_pupils_two_records if {
	gateway.decision == {
		"allow": true,
		"reasons": [
			{
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement dfe-data-management (DfE data management: correcting the register of schools (a school's LA, trust, phase or type) and a pupil's identity, with a reason) for the purpose data-management.",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			}
		],
		"obligations": {
			"agreement": "dfe-data-management",
			"legal_gateway": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
			"purpose": "data-management",
			"fields": [
				"la_code",
				"phase",
				"school_type",
				"trust_id",
				"urn"
			],
			"row_filter": {
				"la_codes": null,
				"urns": null,
				"organisations": null
			},
			"granularity": "identifiable",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"generalisations": {},
			"disclosure_profile": null,
			"row_cap": null,
			"reason_required": true,
			"write_scope": null
		}
	} with input as inputs.test_allow_dfe_data_manager_merges_a_pupils_two_records
}

inputs.test_deny_pupil_merge_without_a_reason := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.merge",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_pupil_merge_without_a_reason if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_REASON_REQUIRED",
				"message": "The agreement requires a reason for access of at least 10 characters (reason).",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_pupil_merge_without_a_reason
}

inputs.test_deny_pupil_merge_to_a_dfe_analyst := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.merge",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "School letter 2026-12: the temporary UPN was replaced by the permanent one",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_pupil_merge_to_a_dfe_analyst if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_ROLE",
				"message": "None of the roles analyst of this dfe principal may perform pupils.merge.",
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_pupil_merge_to_a_dfe_analyst
}

inputs.test_deny_pupil_merge_to_an_la := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"data-manager"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.merge",
	"purpose": "data-management",
	"agreement": "dfe-data-management",
	"reason": "School letter 2026-12: the temporary UPN was replaced by the permanent one",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_register",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": 100001,
		"trust_id": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_pupil_merge_to_an_la if {
	gateway.decision == {
		"allow": false,
		"reasons": [
			{
				"code": "DENY_AGREEMENT_NOT_HELD",
				"message": "The agreement dfe-data-management is not held by la-202 (la).",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			},
			{
				"code": "DENY_GATEWAY_REQUESTER",
				"message": "Education Act 1996 does not permit sharing with a la organisation.",
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009"
			},
			{
				"code": "DENY_ROLE",
				"message": "None of the roles data-manager of this la principal may perform pupils.merge.",
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)"
			}
		],
		"obligations": null
	} with input as inputs.test_deny_pupil_merge_to_an_la
}

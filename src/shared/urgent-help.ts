// Where urgent help is (Kazakhstan). Every text that names emergency numbers (the
// intake's consent and urgent replies, the off-hours notice) takes this one list, which
// EMERGENCY_NUMBERS replaces; each number is described by the catalogs' emergency-number.
export type EmergencyNumbers = readonly string[];

/** 112 emergency, 102 police, 103 ambulance, 111 family/women/children, 150 young people */
export const defaultEmergencyNumbers: EmergencyNumbers = ['112', '102', '103', '111', '150'];

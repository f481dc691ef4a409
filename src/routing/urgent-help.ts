// Where urgent help is when no counsellor is on duty (Kazakhstan). The off-hours
// notice names these; an EMERGENCY_NUMBERS setting can replace this default.
export interface EmergencyNumbers {
  /** unified emergency line */
  emergency: string;
  police: string;
  ambulance: string;
  /** contact centre for family, women and children questions */
  family: string;
  /** national helpline for children and young people */
  youth: string;
}

export const defaultEmergencyNumbers: EmergencyNumbers = {
  emergency: '112',
  police: '102',
  ambulance: '103',
  family: '111',
  youth: '150',
};

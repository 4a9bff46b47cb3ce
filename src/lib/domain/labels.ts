/**
 * French labels of the closed lists of visits and referrals, written plainly for the crew's screens and
 * the coordinators' reports. A `Record` over each list: adding a value without its label does not compile.
 */
import type { ReferralReason, ReferralMode, ReferralStatus, ReferralTarget, CallbackSlot } from './referral';
import type { AgeBand, RequestOutcome, SocialStatus, VisitChannel } from './visit';

export const visitChannelLabels: Record<VisitChannel, string> = {
	walkIn: 'Sans rendez-vous',
	appointment: 'Sur rendez-vous',
	phone: 'Par téléphone'
};

export const requestOutcomeLabels: Record<RequestOutcome, string> = {
	resolved: 'Résolue',
	toFinishAutonomously: 'À finir seul',
	mustReturn: 'Doit revenir',
	referred: 'Orientée vers un partenaire'
};

export const ageBandLabels: Record<AgeBand, string> = {
	under25: 'Moins de 25 ans',
	from25to39: '25 à 39 ans',
	from40to54: '40 à 54 ans',
	from55to69: '55 à 69 ans',
	from70: '70 ans et plus'
};

export const socialStatusLabels: Record<SocialStatus, string> = {
	employed: 'Salarié',
	selfEmployed: 'Indépendant ou exploitant',
	jobSeeker: "Demandeur d'emploi",
	retired: 'Retraité',
	student: 'Étudiant ou en formation',
	otherInactive: 'Autre, sans activité'
};

export const referralStatusLabels: Record<ReferralStatus, string> = {
	open: 'Ouverte',
	transmitted: 'Transmise',
	acknowledged: 'Prise en charge',
	resolved: 'Résolue',
	closed: 'Close'
};

export const referralTargetLabels: Record<ReferralTarget, string> = {
	franceServicesReferent: 'Référent France services du partenaire',
	localOffice: 'Agence ou accueil local',
	specialistDepartment: 'Service spécialisé',
	socialWorker: 'Travailleur social',
	otherPartnerService: 'Autre service du partenaire'
};

export const referralModeLabels: Record<ReferralMode, string> = {
	phoneHandoff: 'Mise en relation par téléphone',
	partnerPlatform: 'Plateforme du partenaire',
	appointmentBooked: 'Rendez-vous pris',
	callbackRequested: 'Rappel par le partenaire',
	videoAppointment: 'Rendez-vous en visio'
};

export const referralReasonLabels: Record<ReferralReason, string> = {
	needsFileAccess: 'Accès au dossier nécessaire',
	complexSituation: 'Situation complexe',
	disputeOrAppeal: 'Contestation ou recours',
	paymentOrDebt: 'Paiement bloqué ou trop-perçu',
	rightsInterrupted: 'Droits interrompus',
	reservedToPartner: 'Démarche réservée au partenaire',
	other: 'Autre motif'
};

export const callbackSlotLabels: Record<CallbackSlot, string> = {
	morning: 'Le matin',
	afternoon: "L'après-midi",
	evening: 'En fin de journée',
	anytime: 'À tout moment'
};

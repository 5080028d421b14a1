/** Shapes of the graders' portal API (src/submissions/routes.ts). */
export interface SittingSummary {
  id: number;
  subject: string;
  level: number;
  startsAt: string;
  submissions: number;
  pdfsReady: number;
  graded: number;
  /** Grading opens when every pupil's time is over (src/scheduling/sittingState.ts). */
  gradingOpen: boolean;
  gradingOpensAt: string | null;
}
export interface SubmissionRow {
  submissionId: number;
  registrationId: number;
  examNumber: string;
  handedInAt: string;
  handedInBy: string;
  wordCount: number;
  pdf: 'ready' | 'pending' | 'failed';
  grade: string | null;
  note: string | null;
}
export interface VerifyResult {
  valid: boolean;
  problem: string | null;
  message: { da: string; en: string };
  trusted: boolean;
  demoCertificate: boolean;
  signingTime: string | null;
  signer: { commonName: string | null; organization: string | null; serialNumber: string } | null;
  answerSha256: string | null;
  examNumber: string | null;
  signingCertificateBound: boolean;
}
export const GRADES = ['-3', '00', '02', '4', '7', '10', '12'] as const;

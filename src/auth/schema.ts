import { z } from 'zod';

export const passwordLoginSchema = z.object({
  username: z.string().trim().min(1, 'skal udfyldes / required').max(100),
  password: z.string().min(1, 'skal udfyldes / required').max(200),
});

export const accessCodeLoginSchema = z.object({
  code: z.string().trim().min(4, 'skal udfyldes / required').max(40),
});

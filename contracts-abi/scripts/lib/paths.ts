import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const contractsDir = join(packageRoot, 'contracts');
export const generatedDir = join(packageRoot, 'src', 'generated');

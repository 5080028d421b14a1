// MathLive's static stylesheet: the layout of its markup and the @font-face rules of its KaTeX fonts, which Vite
// bundles as our own assets (CSP: fonts only from 'self' and data:). Loaded with MathLive, not before.
import 'mathlive/static.css';

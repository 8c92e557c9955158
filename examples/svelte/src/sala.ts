/** Markup types for <sala-*> (attributes, `strings`, `onsala-*` listeners), checked by svelte-check. */
import type {} from '@sala/widgets/svelte';

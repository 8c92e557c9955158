/** Template types for <sala-*> (attributes, `strings`, `@sala-*` listeners), checked by vue-tsc. */
import type {} from '@sala/widgets/vue';
